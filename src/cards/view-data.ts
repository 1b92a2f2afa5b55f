import { randomInt } from 'node:crypto';
import { truncate } from './text-limits';

/**
 * Longest single value we put on a card. Keeps any one field inside Slack's 3000-character section
 * limit and stops one runaway string (a stack trace, a long reason) from eating the Teams size budget.
 */
export const MAX_VALUE_LENGTH = 2900;

/**
 * Card properties that are text by schema. Templates bind data into them as whole fields ("${x}"),
 * which keep the type of x; a list or object that reaches one of them (data that breaks its view
 * type) is turned into its JSON text here, so it shows as text and never becomes card structure.
 * Templates may bind a bare whole field only under these keys (test/unit/cards-templates.test.ts).
 */
export const TEXT_KEYS: ReadonlySet<string> = new Set(['text', 'title', 'url', 'verb']);

export interface PreparedData {
  data: Record<string, unknown>;
  /** Text coercion (TEXT_KEYS), leak check and sentinel restore over an expanded card. */
  finish<T>(expanded: T, template: string): T;
}

/**
 * Makes view data safe to bind:
 * - every leaf becomes a string (whole-field bindings such as "${x}" keep the type of x, so a stray
 *   number must not reach the card as a non-string; a stray list or object is made text by `finish`);
 * - null/undefined leaves are dropped so a missing field shows up as an unexpanded `${…}` and fails;
 * - `${` inside user text is swapped for a per-call sentinel, so that after expansion any `${` left in
 *   the card can only come from the template itself (an undefined field), and the sentinel is then
 *   restored so the user's text appears literally.
 */
export function prepareViewData(data: object): PreparedData {
  const sentinel = `\uE000${randomInt(0, 2 ** 47)}\uE001`;
  // The path (for error messages) is a stack shared by the whole walk and only joined on error.
  const path: Segment[] = [];
  const encode = (value: unknown): unknown => {
    if (value === null || value === undefined) return undefined;
    if (typeof value === 'string') return swap(truncate(value, MAX_VALUE_LENGTH), '${', sentinel);
    if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      value.forEach((v, i) => {
        path.push(i);
        const e = encode(v);
        path.pop();
        if (e !== undefined) out.push(e);
      });
      return out;
    }
    if (typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        path.push(k);
        const e = encode(v);
        path.pop();
        if (e !== undefined) out[k] = e;
      }
      return out;
    }
    throw new Error(`card data ${pathText(path)} has unsupported type ${typeof value}`);
  };
  const finish = <T>(expanded: T, template: string): T => restore(expanded, sentinel, template, []) as T;
  return { data: encode(data) as Record<string, unknown>, finish };
}

type Segment = string | number;

function pathText(path: readonly Segment[]): string {
  return `$${path.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('')}`;
}

/** `text` with every `from` replaced by `to`; the common case (none) allocates nothing. */
function swap(text: string, from: string, to: string): string {
  return text.includes(from) ? text.split(from).join(to) : text;
}

function restore(value: unknown, sentinel: string, template: string, path: Segment[]): unknown {
  if (typeof value === 'string') {
    if (value.includes('${')) {
      throw new Error(`card template "${template}" left an unexpanded expression at ${pathText(path)}: ${truncate(value, 120)}`);
    }
    return swap(value, sentinel, '${');
  }
  if (Array.isArray(value)) {
    return value.map((v, i) => {
      path.push(i);
      const r = restore(v, sentinel, template, path);
      path.pop();
      return r;
    });
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const text = TEXT_KEYS.has(k) && v !== null && typeof v === 'object' ? JSON.stringify(v) : v;
      path.push(k);
      out[k] = restore(text, sentinel, template, path);
      path.pop();
    }
    return out;
  }
  return value;
}
