/**
 * The public keys Bot Framework and Entra sign channel tokens with (JWKS documents), cached per URL.
 * Forged tokens must not cost an outbound fetch each: a key id we do not know triggers at most one
 * refetch per `missRefetchMs`, a failed fetch is remembered for `failureTtlMs`, and concurrent
 * lookups share one fetch. Every fetch has a timeout.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';

export interface SigningKey { key: KeyObject; endorsements?: string[] }
export type KeyLookup = { ok: true; key: SigningKey } | { ok: false; reason: 'unknown_key' | 'keys_unavailable' };

export interface SigningKeysOptions {
  fetch?: typeof fetch;
  now?: () => number;
  timeoutMs?: number;
  /** Keys are refetched after this long even when every token names a known key (rotation). */
  refreshMs?: number;
  missRefetchMs?: number;
  failureTtlMs?: number;
}

interface Entry { keys: Map<string, SigningKey>; fetchedAt: number; failedAt?: number; inflight?: Promise<void> }

/** JWKS documents are small; anything bigger is not one. */
const MAX_KEYS = 100;

export class SigningKeys {
  private readonly entries = new Map<string, Entry>();
  private readonly fetchFn: typeof fetch;
  private readonly now: () => number;
  private readonly timeoutMs: number;
  private readonly refreshMs: number;
  private readonly missRefetchMs: number;
  private readonly failureTtlMs: number;
  /** Outbound fetches made (for the metrics and the tests that count them). */
  fetches = 0;

  constructor(opts: SigningKeysOptions = {}) {
    this.fetchFn = opts.fetch ?? fetch;
    this.now = opts.now ?? Date.now;
    this.timeoutMs = opts.timeoutMs ?? 5000;
    this.refreshMs = opts.refreshMs ?? 24 * 3600_000;
    this.missRefetchMs = opts.missRefetchMs ?? 5 * 60_000;
    this.failureTtlMs = opts.failureTtlMs ?? 60_000;
  }

  async find(url: string, kid: string): Promise<KeyLookup> {
    const entry: Entry = this.entries.get(url) ?? { keys: new Map(), fetchedAt: -Infinity };
    this.entries.set(url, entry);
    const known = entry.keys.get(kid);
    const age = this.now() - entry.fetchedAt;
    if (known && age < this.refreshMs) return { ok: true, key: known };
    const recentlyFailed = entry.failedAt !== undefined && this.now() - entry.failedAt < this.failureTtlMs;
    const mayFetch = !recentlyFailed && (known ? true : age >= this.missRefetchMs);
    if (mayFetch) await (entry.inflight ??= this.refresh(url, entry).finally(() => { entry.inflight = undefined; }));
    const key = entry.keys.get(kid);
    if (key) return { ok: true, key };
    return { ok: false, reason: entry.keys.size === 0 && entry.failedAt !== undefined ? 'keys_unavailable' : 'unknown_key' };
  }

  private async refresh(url: string, entry: Entry): Promise<void> {
    this.fetches++;
    try {
      const res = await this.fetchFn(url, { signal: AbortSignal.timeout(this.timeoutMs), headers: { accept: 'application/json' } });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const keys = parseJwks(await res.json());
      if (keys.size === 0) throw new Error('no usable keys');
      entry.keys = keys;
      entry.fetchedAt = this.now();
      entry.failedAt = undefined;
    } catch {
      // Keys fetched before stay usable until a fetch succeeds again.
      entry.failedAt = this.now();
    }
  }
}

function parseJwks(doc: unknown): Map<string, SigningKey> {
  const out = new Map<string, SigningKey>();
  const keys = (doc as { keys?: unknown })?.keys;
  if (!Array.isArray(keys)) return out;
  for (const k of keys.slice(0, MAX_KEYS) as Record<string, unknown>[]) {
    if (k?.kty !== 'RSA' || typeof k.kid !== 'string' || typeof k.n !== 'string' || typeof k.e !== 'string') continue;
    try {
      const key = createPublicKey({ key: { kty: 'RSA', n: k.n, e: k.e }, format: 'jwk' });
      const endorsements = Array.isArray(k.endorsements) ? k.endorsements.filter((e): e is string => typeof e === 'string') : undefined;
      out.set(k.kid, { key, ...(endorsements ? { endorsements } : {}) });
    } catch {
      // One malformed key does not spoil the others.
    }
  }
  return out;
}
