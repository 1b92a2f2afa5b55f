import type { Mrkdwn, PlainText, TextObject } from './slack-types';
import { truncate } from './text-limits';

/**
 * Slack's own rule: in mrkdwn only `&`, `<` and `>` are entity-encoded. That alone neutralises
 * `<!channel>`, `<@U…>` and `<url|label>`; `verbatim: true` stops Slack auto-linking bare
 * `@channel`, `#channel` and URLs.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escape, then fit `max` without cutting an entity in half. */
export function escapedWithin(text: string, max: number): string {
  let raw = truncate(text, max);
  let escaped = escapeMrkdwn(raw);
  while (escaped.length > max) {
    raw = truncate(raw, raw.length - (escaped.length - max));
    escaped = escapeMrkdwn(raw);
  }
  return escaped;
}

/** Slack rejects empty text objects; an em dash reads as "no value". */
function nonEmpty(text: string): string {
  return text.trim() === '' ? '—' : text;
}

/** plain_text is never parsed for mentions, links or formatting: the default for anything from data. */
export function plain(text: string, max: number): PlainText {
  return { type: 'plain_text', text: truncate(nonEmpty(text), max) };
}

export function mrkdwn(text: string): Mrkdwn {
  return { type: 'mrkdwn', text, verbatim: true };
}

/**
 * Slack has no escape for `*`, `_`, `~` or backticks, so styling is only applied when the text contains
 * none of them; otherwise the text goes out as plain_text (unstyled but exact and inert).
 */
export function styled(text: string, style: { bold?: boolean; code?: boolean }, max: number): TextObject {
  const value = nonEmpty(text.trim());
  if (style.code && !/[`\n]/.test(value)) return mrkdwn(`\`${escapedWithin(value, max - 2)}\``);
  if (style.bold && !/[*_~`\n]/.test(value)) return mrkdwn(`*${escapedWithin(value, max - 2)}*`);
  return plain(value, max);
}
