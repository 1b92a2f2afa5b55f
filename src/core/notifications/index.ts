/**
 * Notifications (DESIGN §4): normalised events → subscriptions → deliveries through the outbox.
 * `createNotifications` wires the router and the effect handlers around one shared channel backlog.
 */
import type { Chat, Clock, Logger, ModelRegistry, Store } from '../ports';
import type { EffectHandler } from '../outbox/worker';
import type { BotSettings } from '../settings';
import { ChannelBacklog, type BacklogOptions } from './backlog';
import { notificationEffectHandlers, type DeliveryOptions, type PostedInfo } from './delivery';
import { NotificationRouter } from './router';
import { SubscriptionBook } from './subscriptions';

export * from './event';
export { normaliseAzureMl } from './azure-ml-events';
export { normaliseServiceHook } from './azure-devops-events';
export { parseEnvelopes, type RawEvent, type EnvelopeResult } from './eventgrid-envelope';
export { ChannelBacklog, type BacklogOptions } from './backlog';
export { NotificationRouter, NOTIFY_EFFECT, notifyKey, dedupeKeyOf, type IngestResult } from './router';
export { runOutcomeKey } from './run-key';
export { JobPoller, POLL_NS, jobEvent, nextWatermark, type JobPollerOptions, type PollCheckpoint, type PollResult } from './poller';
export { notificationEffectHandlers, DIGEST_EFFECT, FOLDED_NS, type DeliveryOptions, type DeliveryDeps, type PostedInfo } from './delivery';
export { SubscriptionBook, defaultSubscriptions, SUBSCRIPTIONS_NS, type Subscription } from './subscriptions';

export interface NotificationsDeps {
  store: Store;
  chat: Chat;
  clock: Clock;
  log: Logger;
  settings: BotSettings;
  options?: DeliveryOptions;
  /** Who this replica is and how long a channel's turn lasts (channel state is shared through the store). */
  replica?: BacklogOptions;
  /** Called after deliveries were recorded (wake the outbox worker). */
  onRecorded?: () => void;
  onPosted?: (info: PostedInfo) => void;
  /** Completes Event Grid run events with the job's display name and error. */
  jobs?: Pick<ModelRegistry, 'getJob'>;
}

export interface Notifications {
  router: NotificationRouter;
  book: SubscriptionBook;
  /** Register these with the OutboxWorker (kinds `notify` and `notify-digest`). */
  handlers: Record<string, EffectHandler>;
  backlog: ChannelBacklog;
}

export function createNotifications(deps: NotificationsDeps): Notifications {
  const backlog = new ChannelBacklog(deps.store, deps.clock, deps.replica);
  const book = new SubscriptionBook(deps.store, deps.settings);
  const log = deps.log.child({ component: 'notifications' });
  const router = new NotificationRouter({ store: deps.store, clock: deps.clock, log, book, backlog, onRecorded: deps.onRecorded, ...(deps.jobs ? { jobs: deps.jobs } : {}) });
  const handlers = notificationEffectHandlers({ store: deps.store, chat: deps.chat, clock: deps.clock, log, backlog, options: deps.options, onPosted: deps.onPosted });
  return { router, book, handlers, backlog };
}
