import type { CardElement, TextRun } from './adaptive-card';

/** A text element of the card reduced to what both renderers care about. */
export interface CardText {
  text: string;
  heading: boolean;
  bold: boolean;
  code: boolean;
  subtle: boolean;
  color?: string;
}

const HEADING_SIZES = new Set(['large', 'extralarge']);
const lower = (v: unknown): string => (typeof v === 'string' ? v.toLowerCase() : '');

export function isTextElement(el: CardElement): boolean {
  return el.type === 'TextBlock' || el.type === 'RichTextBlock';
}

/** TextBlock or RichTextBlock → CardText; a rich block counts as bold/code/subtle only if every run is. */
export function readText(el: CardElement): CardText {
  if (el.type === 'TextBlock') {
    return {
      text: el.text ?? '',
      heading: HEADING_SIZES.has(lower(el.size)),
      bold: lower(el.weight) === 'bolder',
      code: lower(el.fontType) === 'monospace',
      subtle: el.isSubtle === true,
      color: el.color,
    };
  }
  const runs: TextRun[] = (el.inlines ?? []).map((r) => (typeof r === 'string' ? { type: 'TextRun', text: r } : r));
  const visible = runs.filter((r) => r.text !== '');
  const every = (test: (r: TextRun) => boolean): boolean => visible.length > 0 && visible.every(test);
  return {
    text: runs.map((r) => r.text).join(''),
    heading: visible.some((r) => HEADING_SIZES.has(lower(r.size))),
    bold: every((r) => lower(r.weight) === 'bolder'),
    code: every((r) => lower(r.fontType) === 'monospace'),
    subtle: every((r) => r.isSubtle === true),
    color: visible.find((r) => r.color)?.color,
  };
}

/** Slack has no text colours; a leading symbol keeps the tone of a state line visible. */
export function tonePrefix(color: string | undefined): string {
  switch (lower(color)) {
    case 'good': return '✅ ';
    case 'warning': return '⚠️ ';
    case 'attention': return '❗ ';
    default: return '';
  }
}
