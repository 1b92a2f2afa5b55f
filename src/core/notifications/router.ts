/**
 * Intake → deliveries. Each event becomes one outbox effect per subscribed channel, keyed
 * `notify:<eventId>:<channel>`, so a redelivery or a replay records nothing new. The effects are
 * committed before the event is marked seen: a crash between the two leaves a redelivery that
 * re-records the same keys (no-op) instead of an event marked seen whose deliveries never existed.
 */
import type { EffectDraft } from '../outbox/types';
import { mapLimit } from '../commands/map-limit';
import type { Clock, Logger, ModelRegistry, Store } from '../ports';
import { ChannelBacklog } from './backlog';
import { digestLine } from './cards';
import type { NormalisedEvent } from './event';
import { parseFilter } from './filters';
import { lacksJobFacts, withJobFacts } from './run-facts';
import { subscriptionMatches, type SubscriptionBook } from './subscriptions';

export const NOTIFY_EFFECT = 'notify';

export interface NotifyPayload { channel: string; event: NormalisedEvent }

export interface IngestResult {
  /** New events (first time seen). */
  accepted: number;
  duplicates: number;
  /** Events the bot does not notify about (unknown or non-terminal types). */
  ignored: number;
  /** New events no channel is subscribed to. */
  unrouted: number;
  /** Deliveries recorded (event × channel) for the new events. */
  deliveries: number;
}

export interface RouterDeps {
  store: Store;
  clock: Clock;
  log: Logger;
  book: SubscriptionBook;
  /** Shared with the effect handlers so a burst is seen as one. */
  backlog?: ChannelBacklog;
  /** Called after deliveries were recorded (e.g. wake the outbox worker). */
  onRecorded?: () => void;
  /** Reads a run event's job for what Event Grid leaves out (display name, error text). */
  jobs?: Pick<ModelRegistry, 'getJob'>;
  /** Bound on that lookup: the delivery is acknowledged without the facts rather than late (default 5 s). */
  jobLookupMs?: number;
}

export const notifyKey = (eventId: string, channel: string): string => `notify:${eventId}:${channel}`;

/** The identity deliveries and dedupe use: what happened, else the upstream event's id. */
export const dedupeKeyOf = (event: NormalisedEvent): string => event.dedupeKey ?? event.id;

export class NotificationRouter {
  readonly backlog: ChannelBacklog;
  readonly totals: IngestResult = { accepted: 0, duplicates: 0, ignored: 0, unrouted: 0, deliveries: 0 };

  constructor(private readonly deps: RouterDeps) {
    this.backlog = deps.backlog ?? new ChannelBacklog(deps.store, deps.clock);
  }

  /** `null` entries are events the normaliser did not recognise; they are counted, never fatal. */
  async ingest(events: readonly (NormalisedEvent | null)[]): Promise<IngestResult> {
    const result: IngestResult = { accepted: 0, duplicates: 0, ignored: 0, unrouted: 0, deliveries: 0 };
    const known = await this.withJobFacts(events.filter((e): e is NormalisedEvent => e !== null));
    result.ignored = events.length - known.length;
    const subs = known.length > 0 ? (await this.deps.book.all()).map((s) => ({ s, f: parseFilter(s.kind, s.filter) })) : [];
    const plans = known.map((event) => ({
      event,
      channels: [...new Set(subs.filter(({ s, f }) => subscriptionMatches(s, event, f)).map(({ s }) => s.channel))],
    }));
    const drafts: EffectDraft[] = plans.flatMap(({ event, channels }) => channels.map((channel) => ({
      key: notifyKey(dedupeKeyOf(event), channel),
      kind: NOTIFY_EFFECT,
      payload: { channel, event } as unknown as Record<string, unknown>,
    })));
    if (drafts.length > 0) await this.deps.store.enqueueEffects(drafts);
    const now = this.deps.clock.now();
    for (const { event, channels } of plans) {
      if (!(await this.deps.store.markSeen(`event:${dedupeKeyOf(event)}`, now))) { result.duplicates++; continue; }
      result.accepted++;
      if (channels.length === 0) result.unrouted++;
      result.deliveries += channels.length;
      const line = digestLine(event);
      for (const channel of channels) await this.backlog.add(channel, { key: notifyKey(dedupeKeyOf(event), channel), eventId: event.id, ...line, at: now.getTime() });
    }
    for (const k of Object.keys(result) as (keyof IngestResult)[]) this.totals[k] += result[k];
    if (result.accepted > 0 || result.duplicates > 0 || result.ignored > 0) {
      this.deps.log.info({ ...result }, 'notification events ingested');
    }
    if (drafts.length > 0) this.deps.onRecorded?.();
    return result;
  }

  /** Completes run events from the job itself, a few at a time; a lookup that fails or is slow leaves the event as it came. */
  private async withJobFacts(events: NormalisedEvent[]): Promise<NormalisedEvent[]> {
    const { jobs } = this.deps;
    if (!jobs || !events.some(lacksJobFacts)) return events;
    const limit = this.deps.jobLookupMs ?? 5_000;
    return mapLimit(events, 4, async (event) => {
      if (!lacksJobFacts(event)) return event;
      let timer: NodeJS.Timeout | undefined;
      try {
        const late = new Promise<null>((resolve) => { timer = setTimeout(() => resolve(null), limit); });
        const job = await Promise.race([jobs.getJob(event.env!, event.subject), late]);
        return job ? withJobFacts(event, job) : event;
      } catch (err) {
        this.deps.log.debug({ job: event.subject, env: event.env, err: err instanceof Error ? err.message : String(err) }, 'job facts unavailable for a run event');
        return event;
      } finally {
        clearTimeout(timer);
      }
    });
  }
}
