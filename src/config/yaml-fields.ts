import type { IssueList } from './config-error';
import { parseDuration } from './duration';
import { nearest } from '../core/commands/suggest';

export type RawMap = Record<string, unknown>;

export const join = (path: string, key: string | number): string =>
  typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;

const describe = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping' : `${typeof v} ${JSON.stringify(v)}`;

/**
 * Reads typed fields out of one YAML mapping, recording problems with their full path. Each getter
 * returns `undefined` after recording an issue so the caller can keep checking the rest.
 */
export class Fields {
  private constructor(readonly map: RawMap, readonly path: string, readonly issues: IssueList) {}

  /** A mapping at `path`, with unknown keys reported (and the likely intended key suggested). */
  static of(value: unknown, path: string, issues: IssueList, known: readonly string[]): Fields | undefined {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      issues.add(path || '(top level)', `expected a mapping of ${known.join(', ')} but found ${describe(value)}.`, 'write it as key: value pairs.');
      return undefined;
    }
    const map = value as RawMap;
    for (const key of Object.keys(map)) {
      if (known.includes(key)) continue;
      const guess = nearest(key, known);
      issues.add(join(path, key), 'is not a known setting.',
        guess ? `did you mean "${guess}"? Rename it.` : `remove it; known settings here are ${known.join(', ')}.`);
    }
    return new Fields(map, path, issues);
  }

  has(key: string): boolean {
    return this.map[key] !== undefined && this.map[key] !== null;
  }

  at(key: string): string {
    return join(this.path, key);
  }

  private missing(key: string, example: string): undefined {
    this.issues.add(this.at(key), 'is required but missing.', `add ${key}: ${example}.`);
    return undefined;
  }

  /** A non-empty string; numbers are accepted and converted since YAML reads ids like `42` as numbers. */
  str(key: string, example: string, required = true): string | undefined {
    const v = this.map[key];
    if (v === undefined || v === null) return required ? this.missing(key, example) : undefined;
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    if (typeof v !== 'string' || v.trim() === '') {
      this.issues.add(this.at(key), `expected text but found ${describe(v)}.`, `write it like ${key}: ${example}.`);
      return undefined;
    }
    return v.trim();
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], fallback?: T): T | undefined {
    const v = this.map[key];
    if (v === undefined || v === null) return fallback ?? this.missing(key, allowed[0]);
    const hit = allowed.find((a) => typeof v === 'string' && a === v.trim().toLowerCase());
    if (hit === undefined) {
      const guess = typeof v === 'string' ? nearest(v, allowed) : undefined;
      this.issues.add(this.at(key), `${describe(v)} is not one of ${allowed.join(', ')}.`, guess ? `did you mean "${guess}"?` : `use one of ${allowed.join(', ')}.`);
    }
    return hit;
  }

  num(key: string, fallback: number | undefined, check: { min: number; integer?: boolean }, example: string): number | undefined {
    const v = this.map[key];
    if (v === undefined || v === null) return fallback ?? this.missing(key, example);
    if (typeof v !== 'number' || !Number.isFinite(v) || (check.integer && !Number.isInteger(v)) || v < check.min) {
      const kind = check.integer ? 'a whole number' : 'a number';
      this.issues.add(this.at(key), `${describe(v)} must be ${kind} of at least ${check.min}.`, `write it like ${key}: ${example}.`);
      return undefined;
    }
    return v;
  }

  bool(key: string, fallback: boolean): boolean {
    const v = this.map[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'boolean') {
      this.issues.add(this.at(key), `${describe(v)} must be true or false.`, `write ${key}: ${fallback}.`);
      return fallback;
    }
    return v;
  }

  /** `72h`, `30m`, `1h30m`, `7d`; `0` only where `allowZero`. */
  duration(key: string, fallbackMs: number, allowZero: boolean): number {
    const v = this.map[key];
    if (v === undefined || v === null) return fallbackMs;
    const ms = typeof v === 'string' ? parseDuration(v) : v === 0 ? 0 : null;
    if (ms === null || (ms === 0 && !allowZero)) {
      const zero = allowZero ? ' (0 turns it off)' : '';
      this.issues.add(this.at(key), `${describe(v)} is not a duration${zero}.`, `write a number with a unit, such as 72h, 30m, 7d or 1h30m${zero}.`);
      return fallbackMs;
    }
    return ms;
  }

  /** A list (a single scalar is accepted as a one-item list, a common YAML slip). */
  list(key: string, required: boolean): { value: unknown; path: string }[] | undefined {
    const v = this.map[key];
    if (v === undefined || v === null) return required ? this.missing(key, '[…]') : undefined;
    const items = Array.isArray(v) ? v : [v];
    return items.map((value, i) => ({ value, path: Array.isArray(v) ? join(this.at(key), i) : this.at(key) }));
  }
}
