import { REDACTED } from './redact-keys';

/**
 * Value-based redaction: masks the actual secret values (from the runtime config) wherever they
 * appear in a finished log line, whatever key or message carried them. Values shorter than
 * MIN_LENGTH are not masked by value: doing so would shred ordinary words; keys still cover them.
 */
export const MIN_SECRET_LENGTH = 4;

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The spellings a value takes on its way into a JSON log line. */
function spellings(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  const jsonTwice = JSON.stringify(json).slice(1, -1);
  return [value, json, jsonTwice, encodeURIComponent(value), JSON.stringify(encodeURIComponent(value)).slice(1, -1)];
}

export class SecretScrubber {
  private readonly values = new Set<string>();
  private pattern: RegExp | null = null;

  constructor(secrets: readonly string[] = []) {
    this.add(secrets);
  }

  /** Adds values to mask from now on (for every logger sharing this scrubber). */
  add(secrets: readonly string[]): void {
    for (const s of secrets) {
      if (typeof s === 'string' && s.length >= MIN_SECRET_LENGTH) spellings(s).forEach((v) => this.values.add(v));
    }
    // Longest first, so a secret that contains another is masked whole.
    const sorted = [...this.values].sort((a, b) => b.length - a.length).map(escapeRegExp);
    this.pattern = sorted.length > 0 ? new RegExp(sorted.join('|'), 'g') : null;
  }

  scrub(text: string): string {
    return this.pattern ? text.replace(this.pattern, REDACTED) : text;
  }
}

export function withSecretScrubbing(secrets: readonly string[]): SecretScrubber {
  return new SecretScrubber(secrets);
}
