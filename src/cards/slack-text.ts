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

/** Escape, then fit `max` with an ellipsis, never cutting an entity or a surrogate pair in half. */
export function escapedWithin(text: string, max: number): string {
  const full = escapeMrkdwn(text);
  if (full.length <= max) return full;
  let out = '';
  for (const ch of text) {
    const escaped = escapeMrkdwn(ch);
    if (out.length + escaped.length > max - 1) break;
    out += escaped;
  }
  return `${out}…`;
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
export function styled(text: string, style: { bold?: boolean; code?: boolean }, max: number, prefix = ''): TextObject {
  const value = nonEmpty(text.trim());
  const room = max - prefix.length - 2;
  if (style.code && !/[`\n]/.test(value)) return mrkdwn(`${escapeMrkdwn(prefix)}\`${escapedWithin(value, room)}\``);
  if (style.bold && !/[*_~`\n]/.test(value)) return mrkdwn(`${escapeMrkdwn(prefix)}*${escapedWithin(value, room)}*`);
  return plain(prefix + value, max);
}

/** Several text lines in one text object: mrkdwn when every line can be styled safely, else plain_text. */
export function joined(parts: { text: string; bold?: boolean; code?: boolean; prefix?: string }[], max: number): TextObject {
  const lines = parts.map((p) => styled(p.text, p, max, p.prefix ?? ''));
  if (lines.length === 1) return lines[0];
  const asMrkdwn = lines.map((l) => (l.type === 'mrkdwn' ? l.text : /[*_~`]/.test(l.text) ? undefined : escapeMrkdwn(l.text)));
  const text = asMrkdwn.join('\n');
  if (asMrkdwn.every((l) => l !== undefined) && text.length <= max) return mrkdwn(text);
  return plain(parts.map((p) => (p.prefix ?? '') + p.text.trim()).join('\n'), max);
}
