/**
 * Leadership among replicas (DESIGN §9.9): pollers and timers run on one replica, the holder of the
 * `leader` lease in the store. Each replica calls `renew()` every `renewMs` (a third of the lease):
 * the leader extends its lease, a follower takes the lease once it has expired. A leader that cannot
 * reach the database stops leading when its own lease would have run out, so two replicas never
 * both believe they lead for longer than a clock's drift (work they both do stays idempotent anyway:
 * transitions check revisions and effects have keys).
 */
import type { Clock, Lease, Logger, Store } from '../ports';

export const LEADER_LEASE = 'leader';

export interface Leadership {
  /** Whether this replica leads right now (its lease is valid by its own clock). */
  isLeader(): boolean;
  status(): LeaderStatus;
}

export interface LeaderStatus {
  replica: string;
  leader: boolean;
  /** The holder as last seen in the store (this replica or another), when known. */
  holder?: string;
  term?: number;
  /** When this replica last heard from the store about the lease (ISO). */
  checkedAt?: string;
}

export interface LeaderLeaseOptions {
  store: Pick<Store, 'acquireLease' | 'releaseLease'>;
  clock: Clock;
  log: Logger;
  replica: string;
  ttlMs: number;
  /** Called when this replica starts or stops leading. */
  onChange?: (leading: boolean) => void;
}

export class LeaderLease implements Leadership {
  /** Local deadline: leading only until then unless a renewal succeeds. */
  private validUntil = 0;
  private seen?: Lease;
  private checkedAt?: Date;
  private leading = false;

  constructor(private readonly opts: LeaderLeaseOptions) {}

  /** How often to call renew(): three chances before the lease runs out. */
  get renewMs(): number { return Math.max(200, Math.floor(this.opts.ttlMs / 3)); }

  isLeader(): boolean {
    return this.leading && this.opts.clock.now().getTime() < this.validUntil;
  }

  status(): LeaderStatus {
    return {
      replica: this.opts.replica, leader: this.isLeader(),
      ...(this.seen ? { holder: this.seen.holder, term: this.seen.term } : {}),
      ...(this.checkedAt ? { checkedAt: this.checkedAt.toISOString() } : {}),
    };
  }

  /** One renewal (or take-over attempt); never throws: a store failure leaves the local deadline to decide. */
  async renew(): Promise<boolean> {
    const asked = this.opts.clock.now();
    try {
      const lease = await withTimeout(this.opts.store.acquireLease(LEADER_LEASE, this.opts.replica, asked, this.opts.ttlMs), this.renewMs);
      this.seen = lease;
      this.checkedAt = asked;
      // Counted from when we asked, not from the answer: a slow round trip must not stretch our term.
      this.validUntil = lease.holder === this.opts.replica ? asked.getTime() + this.opts.ttlMs : 0;
    } catch (err) {
      this.opts.log.warn({ err: err instanceof Error ? err.message : String(err), leading: this.leading }, 'leader lease: the store did not answer');
    }
    this.settle();
    return this.isLeader();
  }

  /** Gives the lease up (clean shutdown), so a follower takes over at its next renewal. */
  async resign(): Promise<void> {
    const was = this.leading;
    this.validUntil = 0;
    this.settle();
    if (!was) return;
    await this.opts.store.releaseLease(LEADER_LEASE, this.opts.replica).catch((err: unknown) =>
      this.opts.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'leader lease: could not release; it expires by itself'));
  }

  private settle(): void {
    const now = this.isLeaderBy(this.opts.clock.now().getTime());
    if (now === this.leading) return;
    this.leading = now;
    this.opts.log.info({ replica: this.opts.replica, term: this.seen?.term }, now ? 'this replica now leads (pollers and timers run here)' : 'this replica no longer leads');
    this.opts.onChange?.(now);
  }

  private isLeaderBy(nowMs: number): boolean { return nowMs < this.validUntil; }
}

/** SQLite serves one process, which always leads. */
export function soleLeader(replica: string): Leadership {
  return { isLeader: () => true, status: () => ({ replica, leader: true, holder: replica }) };
}

/** A database that stopped answering must not hold the renewal loop (and a stale leader) forever. */
function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms); });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
