import { randomInt } from 'node:crypto';
import { truncate } from './text-limits';

/**
 * Longest single value we put on a card. Keeps any one field inside Slack's 3000-character section
 * limit and stops one runaway string (a stack trace, a long reason) from eating the Teams size budget.
 */
export const MAX_VALUE_LENGTH = 2900;

export interface PreparedData {
  data: Record<string, unknown>;
  /** Leak check + sentinel restore over an expanded card. */
  finish<T>(expanded: T, template: string): T;
}

/**
 * Makes view data safe to bind:
 * - every leaf becomes a string (whole-field bindings such as "${x}" keep the type of x, so a stray
 *   number or array must not reach the card as a non-string);
 * - null/undefined leaves are dropped so a missing field shows up as an unexpanded `${…}` and fails;
 * - `${` inside user text is swapped for a per-call sentinel, so that after expansion any `${` left in
 *   the card can only come from the template itself (an undefined field), and the sentinel is then
 *   restored so the user's text appears literally.
 */
export function prepareViewData(data: object): PreparedData {
  const sentinel = `\uE000${randomInt(0, 2 ** 47)}\uE001`;
  const encode = (value: unknown, path: string): unknown => {
    if (value === null || value === undefined) return undefined;
    if (typeof value === 'string') return truncate(value, MAX_VALUE_LENGTH).split('${').join(sentinel);
    if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
    if (Array.isArray(value)) return value.map((v, i) => encode(v, `${path}[${i}]`)).filter((v) => v !== undefined);
    if (typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        const e = encode(v, `${path}.${k}`);
        if (e !== undefined) out[k] = e;
      }
      return out;
    }
    throw new Error(`card data ${path} has unsupported type ${typeof value}`);
  };
  const finish = <T>(expanded: T, template: string): T => restore(expanded, sentinel, template, '$') as T;
  return { data: encode(data, '$') as Record<string, unknown>, finish };
}

function restore(value: unknown, sentinel: string, template: string, path: string): unknown {
  if (typeof value === 'string') {
    if (value.includes('${')) {
      throw new Error(`card template "${template}" left an unexpanded expression at ${path}: ${truncate(value, 120)}`);
    }
    return value.split(sentinel).join('${');
  }
  if (Array.isArray(value)) return value.map((v, i) => restore(v, sentinel, template, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = restore(v, sentinel, template, `${path}.${k}`);
    return out;
  }
  return value;
}
