import { BotError } from '../errors';

/**
 * One word of a command line. `literal` is the part typed before any quote: only an unquoted
 * `--name` is a flag, so `--reason "--force"` keeps `--force` as a value.
 */
export interface Token {
  value: string;
  literal: string;
  quoted: boolean;
}

// Surfaces put the bot's name in front: Slack `/mlops`, Teams `<at>MLOps</at>` (or a typed `@MLOps`).
const PREFIX = /^\s*(?:\/mlops|@mlops(?:\s+bot)?|<at>\s*mlops(?:\s+bot)?\s*<\/at>)(?=\s|$)/i;

/** Removes any leading bot mentions / slash prefixes (Teams may send a mention and a typed `/mlops`). */
export function stripPrefix(text: string): string {
  let rest = text;
  for (let i = 0; i < 3; i++) {
    const m = PREFIX.exec(rest);
    if (!m) break;
    rest = rest.slice(m[0].length);
  }
  return rest;
}

/** Closing quote(s) for each opening quote; smart quotes come in either order from some keyboards. */
const CLOSERS: Record<string, string> = {
  '"': '"',
  "'": "'",
  '\u201c': '\u201d\u201c',
  '\u201d': '\u201d\u201c',
  '\u2018': '\u2019\u2018',
  '\u2019': '\u2019\u2018',
};
const QUOTE_CHARS = '"\'\u201c\u201d\u2018\u2019';
// Zero-width characters that chat clients insert count as separators.
const isSpace = (c: string): boolean => /\s/.test(c) || c === '\u200b' || c === '\ufeff';

/**
 * Splits a command line into words. Quotes open at the start of a word or right after the `=` of
 * `--flag=`, so apostrophes inside words (`it's`) stay literal; inside quotes a backslash escapes a
 * quote or a backslash. Outside quotes a backslash is literal (Windows paths, patterns).
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const chars = Array.from(text);
  let i = 0;
  while (i < chars.length) {
    if (isSpace(chars[i])) { i++; continue; }
    let value = '';
    let literal = '';
    let quoted = false;
    while (i < chars.length && !isSpace(chars[i])) {
      const c = chars[i];
      const mayOpen = value.length === 0 || (!quoted && /^--[^=]*=$/.test(value));
      if (mayOpen && c in CLOSERS) {
        const start = i;
        const closers = CLOSERS[c];
        i++;
        let closed = false;
        while (i < chars.length) {
          const q = chars[i];
          if (q === '\\' && i + 1 < chars.length && (chars[i + 1] === '\\' || QUOTE_CHARS.includes(chars[i + 1]))) {
            value += chars[i + 1];
            i += 2;
            continue;
          }
          if (closers.includes(q)) { closed = true; i++; break; }
          value += q;
          i++;
        }
        if (!closed) {
          const excerpt = chars.slice(start, start + 20).join('');
          throw new BotError('usage', `Unterminated quote: ${excerpt}${chars.length - start > 20 ? '…' : ''}`, {
            remedy: 'Close the quote, or put a backslash before a quote that belongs to the text.',
          });
        }
        quoted = true;
        continue;
      }
      value += c;
      if (!quoted) literal += c;
      i++;
    }
    tokens.push({ ...normaliseDashes(literal, value), quoted });
  }
  return tokens;
}

/** Phones and Mac "smart punctuation" turn `--dry-run` into `—dry-run`; read it as the flag the user typed. */
function normaliseDashes(literal: string, value: string): { literal: string; value: string } {
  if (!/^[\u2013\u2014](?=[A-Za-z])/.test(literal)) return { literal, value };
  return { literal: '--' + literal.slice(1), value: '--' + value.slice(1) };
}
