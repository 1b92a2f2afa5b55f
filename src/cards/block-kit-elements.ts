import type { CardElement } from './adaptive-card';
import { actionBlocks } from './block-kit-actions';
import { tableBlocks } from './block-kit-table';
import { item, type Tagged } from './block-kit-tagged';
import { isTextElement, readText, tonePrefix, type CardText } from './card-text';
import { plain, styled } from './slack-text';
import { SLACK_LIMITS, type SlackBlock, type TextObject } from './slack-types';

export function translateElements(elements: CardElement[]): Tagged[] {
  return elements.flatMap(translateElement);
}

function translateElement(el: CardElement): Tagged[] {
  if (isTextElement(el)) return textBlock(readText(el));
  switch (el.type) {
    case 'Container': return container(el.items ?? []);
    case 'ColumnSet': return columnSet((el.columns ?? []) as CardElement[]);
    case 'Column': return container(el.items ?? []);
    case 'Table': return tableBlocks(el);
    case 'FactSet': return fieldSections((el.facts ?? []).flatMap((f) => [
      styled(f.title, { bold: true }, SLACK_LIMITS.fieldText), plain(f.value, SLACK_LIMITS.fieldText)]));
    case 'Image': return image(el);
    case 'ActionSet': return oneItem(actionBlocks(el.actions ?? []));
    default: throw new Error(`Block Kit translator does not support ${el.type}`);
  }
}

/** A container of plain text is one list item (kept or dropped whole); other containers just nest. */
function container(items: CardElement[]): Tagged[] {
  const blocks = translateElements(items);
  return items.every(isTextElement) ? oneItem(blocks.map((t) => t.block)) : blocks;
}

function oneItem(blocks: SlackBlock[]): Tagged[] {
  return blocks.map((block, i) => (i === 0 ? item(block) : { block, units: 0, starts: false }));
}

function textBlock(t: CardText): Tagged[] {
  if (t.text.trim() === '') return [];
  const text = tonePrefix(t.color) + t.text;
  if (t.heading) return [item({ type: 'header', text: plain(text, SLACK_LIMITS.headerText) })];
  if (t.subtle) return [item({ type: 'context', elements: [styled(text, t, SLACK_LIMITS.contextText)] })];
  return [item({ type: 'section', text: styled(text, t, SLACK_LIMITS.sectionText) })];
}

/** Columns holding only text become section fields (a fact row: bold label | value). */
function columnSet(columns: CardElement[]): Tagged[] {
  const textOnly = columns.length > 0 && columns.length <= SLACK_LIMITS.fields
    && columns.every((c) => (c.items ?? []).length > 0 && (c.items ?? []).every(isTextElement));
  if (!textOnly) return oneItem(columns.flatMap((c) => translateElements(c.items ?? [])).map((t) => t.block));
  return fieldSections(columns.map((c) => columnField((c.items ?? []).map(readText))));
}

function columnField(texts: CardText[]): TextObject {
  if (texts.length === 1) return styled(tonePrefix(texts[0].color) + texts[0].text, texts[0], SLACK_LIMITS.fieldText);
  return plain(texts.map((t) => t.text).join('\n'), SLACK_LIMITS.fieldText);
}

function fieldSections(fields: TextObject[]): Tagged[] {
  const out: Tagged[] = [];
  for (let i = 0; i < fields.length; i += SLACK_LIMITS.fields) {
    out.push(item({ type: 'section', fields: fields.slice(i, i + SLACK_LIMITS.fields) }));
  }
  return out;
}

function image(el: CardElement): Tagged[] {
  const url = String(el.url ?? '');
  const alt = String(el.altText ?? '') || 'image';
  if (url === '' || url.length > SLACK_LIMITS.imageUrl) {
    return textBlock({ text: alt, heading: false, bold: false, code: false, subtle: true });
  }
  return [item({ type: 'image', image_url: url, alt_text: alt.slice(0, SLACK_LIMITS.altText) })];
}
