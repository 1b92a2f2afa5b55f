import { IssueList } from './config-error';
import { formatDuration, parseDuration } from './duration';
import { Secret } from './secret';

export type EnvSource = Record<string, string | undefined>;

/** Typed access to environment variables that records every problem instead of stopping at the first. */
export class EnvReader {
  constructor(private readonly env: EnvSource, readonly issues: IssueList) {}

  /** Trimmed value; empty counts as unset, as container env files often leave `NAME=` lines. */
  text(name: string): string | undefined {
    const v = this.env[name]?.trim();
    return v ? v : undefined;
  }

  secret(name: string): Secret | undefined {
    // Secrets are not trimmed of inner content, but stray surrounding whitespace is a copy/paste accident.
    const v = this.text(name);
    return v === undefined ? undefined : new Secret(v);
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const v = this.text(name);
    if (v === undefined) return fallback;
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
      this.issues.add(name, `"${v}" is not a whole number between ${min} and ${max}.`, `set ${name} to a number such as ${fallback}.`);
      return fallback;
    }
    return Number(v);
  }

  /** A duration such as `15s` or `1m30s`, in milliseconds, at least `minMs`. */
  duration(name: string, fallbackMs: number, minMs: number): number {
    const v = this.text(name);
    if (v === undefined) return fallbackMs;
    const ms = parseDuration(v);
    if (ms === null || ms < minMs) {
      this.issues.add(name, `"${v}" is not a duration of at least ${formatDuration(minMs)}.`, `set ${name} to a duration such as ${formatDuration(fallbackMs)} (units s, m, h).`);
      return fallbackMs;
    }
    return ms;
  }

  /** An http(s) URL; `trailingSlash` normalises it one way so callers can append paths safely. */
  url(name: string, fallback: string | undefined, trailingSlash: boolean): string | undefined {
    const v = this.text(name) ?? fallback;
    if (v === undefined) return undefined;
    let parsed: URL;
    try {
      parsed = new URL(v);
    } catch {
      this.issues.add(name, `"${v}" is not a URL.`, `use an absolute URL such as ${fallback ?? 'https://…'}.`);
      return fallback;
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      this.issues.add(name, `"${v}" uses ${parsed.protocol} but only http and https are supported.`, 'use an https:// URL.');
      return fallback;
    }
    const bare = v.replace(/\/+$/, '');
    return trailingSlash ? `${bare}/` : bare;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const v = this.text(name);
    if (v === undefined) return fallback;
    const hit = allowed.find((a) => a.toLowerCase() === v.toLowerCase());
    if (!hit) {
      this.issues.add(name, `"${v}" is not one of ${allowed.join(', ')}.`, `set ${name} to one of ${allowed.join(', ')} (or leave it unset for ${fallback}).`);
      return fallback;
    }
    return hit;
  }

  /** `name` may only be set together with every variable in `partners`. */
  requireWith(name: string, partners: string[], why: string): void {
    if (this.text(name) === undefined) return;
    for (const p of partners) {
      if (this.text(p) === undefined) this.issues.add(p, `is missing while ${name} is set (${why}).`, `set ${p} or unset ${name}.`);
    }
  }
}

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
