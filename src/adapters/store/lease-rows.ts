/**
 * Leases and monitoring counts, mapped the same way for both dialects. A lease is taken with one
 * upsert whose WHERE clause only lets the current holder renew or anyone take an expired lease, so
 * two replicas asking at once can never both hold it.
 */
import type { Lease, StoreStats } from '../../core/ports';
import { iso } from './rows';

export interface LeaseRow { name: string; holder: string; since: string | Date; expires_at: string | Date; term: unknown }

export function toLease(row: LeaseRow): Lease {
  return { name: row.name, holder: row.holder, since: iso(row.since), expiresAt: iso(row.expires_at), term: Number(row.term) };
}

/** Parameters of the upsert, in order: name, holder, now, expiry. */
export function leaseParams(name: string, holder: string, now: Date, ttlMs: number): [string, string, string, string] {
  if (!(ttlMs > 0)) throw new RangeError(`lease ttl must be positive, got ${ttlMs}`);
  return [name, holder, iso(now), iso(now.getTime() + ttlMs)];
}

/** `p(i)` names the i-th parameter (1-based) in the dialect. */
export function leaseUpsertSql(p: (i: number) => string): string {
  return `INSERT INTO leases (name, holder, since, expires_at, term) VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, 1)
    ON CONFLICT (name) DO UPDATE SET
      holder = excluded.holder,
      expires_at = excluded.expires_at,
      since = CASE WHEN leases.holder = excluded.holder THEN leases.since ELSE excluded.since END,
      term = CASE WHEN leases.holder = excluded.holder THEN leases.term ELSE leases.term + 1 END
    WHERE leases.holder = excluded.holder OR leases.expires_at <= excluded.since
    RETURNING *`;
}

export interface OutboxCountRow { status: string; n: unknown; oldest: string | Date | null }

export function toStats(states: { state: string; n: unknown }[], outbox: OutboxCountRow[]): StoreStats {
  const requestsByState: Record<string, number> = {};
  for (const r of states) requestsByState[r.state] = Number(r.n);
  const count = (status: string): number => Number(outbox.find((r) => r.status === status)?.n ?? 0);
  const oldest = outbox.filter((r) => r.status !== 'dead' && r.oldest !== null).map((r) => iso(r.oldest!)).sort()[0] ?? null;
  return { requestsByState, outbox: { pending: count('pending'), running: count('running'), dead: count('dead'), oldestWaitingSince: oldest } };
}

/** Counts of effects not done by status, and per status the oldest that is due (`p(1)` = now). */
export function outboxCountSql(p: (i: number) => string): string {
  return `SELECT status, count(*) AS n,
      min(CASE WHEN not_before IS NULL OR not_before <= ${p(1)} THEN created_at END) AS oldest
    FROM effects WHERE status <> 'done' GROUP BY status`;
}

export const REQUEST_COUNT_SQL = 'SELECT state, count(*) AS n FROM requests GROUP BY state';
