/**
 * The neutral card model: every message the product sends is one template from `cards/` plus typed
 * view data. Values are pre-formatted strings (the core formats numbers and dates), so templates stay
 * simple and user text is only ever data. Renderers: Adaptive Cards (Teams) and Block Kit (Slack).
 */
import type { ChartSpec } from '../charts/types';

export interface Fact { title: string; value: string }
export interface ActionButton {
  /** Verb carried by Action.Execute / Slack action_id, e.g. `approve`. */
  verb: string;
  title: string;
  /** Opaque data sent back on click (request id, …). */
  data: Record<string, string>;
  style?: 'positive' | 'destructive' | 'default';
}
export interface LinkButton { title: string; url: string }

export interface HelpView { title: string; intro: string; commands: { usage: string; summary: string; example: string }[] }
export interface NoticeView { title: string; text: string; tone: 'info' | 'good' | 'warning' | 'attention' }
export interface ErrorView { title: string; message: string; remedy: string; code: string; correlationId: string }

export interface ModelsView { title: string; subtitle: string; rows: { name: string; latest: string; environments: string; updated: string }[]; actions?: ActionButton[] }
export interface ModelView { title: string; subtitle: string; facts: Fact[]; versions: { version: string; created: string; metrics: string; tags: string; environments: string }[] }
export interface CompareView { title: string; subtitle: string; columns: string[]; rows: { version: string; cells: string[] }[]; footnote: string }

export interface PromotionView {
  requestId: string;
  title: string; // "Promote taxi-model v5 to prod"
  stateLabel: string; // "Awaiting approval (0 of 1)"
  tone: 'info' | 'good' | 'warning' | 'attention';
  facts: Fact[]; // requester, reason, version, source → target, expiry
  guard: { verdict: string; rows: { label: string; candidate: string; baseline: string; delta: string }[] };
  /** Buttons, present only while a decision is possible. */
  actions: ActionButton[];
  /** The final line that replaces the buttons ("Approved by @a — release 42 deploying"). */
  outcome: string;
  /** What needs a person now, shown above the buttons (a step the bot gave up on); '' when none. */
  notice: string;
  links: LinkButton[];
}

export interface WhereisView {
  title: string; subtitle: string;
  rows: { env: string; endpoint: string; deployment: string; version: string; traffic: string; mirror: string; state: string }[];
  /** Fallbacks and disagreements, said in words under the table. */
  notes: { text: string }[];
}
export interface EndpointsView {
  title: string; subtitle: string;
  rows: { env: string; endpoint: string; deployment: string; model: string; traffic: string; mirror: string; state: string }[];
  notes: { text: string }[];
}
export interface RollbackView {
  requestId: string;
  title: string; // "Roll back taxi-model in prod: v3 → v2"
  stateLabel: string;
  tone: 'info' | 'good' | 'warning' | 'attention';
  facts: Fact[];
  /** How it goes back: "Traffic switch on taxi-online (no pipeline)" or "Release of v2". */
  path: string;
  /** The split before and after, for a traffic switch. */
  traffic: { deployment: string; version: string; before: string; after: string }[];
  actions: ActionButton[];
  outcome: string;
  links: LinkButton[];
}

/** One rollout's card (DESIGN 9.4): steps, the last check against the thresholds, Pause/Resume/Abort. */
export interface RolloutView {
  rolloutId: string;
  title: string; // "Rollout taxi-model v5 in prod"
  stateLabel: string; // "Running: 10% of traffic, next check 16:40 UTC"
  tone: 'info' | 'good' | 'warning' | 'attention';
  facts: Fact[];
  /** Every step, done and to come. */
  steps: { step: string; traffic: string; state: string }[];
  /** Heading of the last check ("Last check 16:40 UTC at 10%, over 30 s"), '' before the first. */
  checkTitle: string;
  /** The last check's figures against the thresholds. */
  check: { figure: string; canary: string; baseline: string; limit: string; verdict: string }[];
  /** What needs a person now (why it paused, a freeze, a failed change); '' when none. */
  notice: string;
  actions: ActionButton[];
  /** The final line once it ended; '' while it runs. */
  outcome: string;
  /** Canary vs baseline per check, as numbers (null: no figure), for a chart of the rollout. */
  series: RolloutSeriesPoint[];
}
export interface RolloutSeriesPoint {
  at: string; percent: number; verdict: string;
  canaryErrorRate: number | null; baselineErrorRate: number | null; canaryP95Ms: number | null; baselineP95Ms: number | null;
}
export interface RolloutsView { title: string; subtitle: string; rows: { id: string; model: string; where: string; traffic: string; status: string; updated: string }[]; actions?: ActionButton[] }

export interface RequestsView { title: string; subtitle: string; rows: { id: string; model: string; target: string; state: string; requester: string; updated: string }[]; actions?: ActionButton[] }
export interface ReleaseView { title: string; subtitle: string; stages: { name: string; state: string }[]; links: LinkButton[] }
export interface ReleasesView { title: string; subtitle: string; rows: { release: string; model: string; stages: string; created: string }[]; actions?: ActionButton[] }
export interface RunsView { title: string; subtitle: string; rows: { name: string; experiment: string; status: string; created: string }[]; actions?: ActionButton[] }
export interface RunFailedView { title: string; facts: Fact[]; error: string; mention: string; links: LinkButton[] }
export interface ScheduleView { title: string; subtitle: string; facts: Fact[]; nextRuns: string[]; actions: ActionButton[] }
export interface SchedulesView { title: string; subtitle: string; rows: { name: string; trigger: string; action: string; enabled: string }[] }
export interface ServicePrincipalView {
  title: string; subtitle: string; facts: Fact[]; steps: { step: string; state: string; detail: string }[]; outcome: string;
  /** Confirm / Cancel while the card is a plan; empty (or absent) once it shows a result. */
  actions?: ActionButton[];
}
export interface AuditEntryView { title: string; facts: Fact[]; hash: string }
export interface AuditListView { title: string; subtitle: string; rows: { seq: string; at: string; actor: string; action: string; subject: string }[]; verdict: string; actions?: ActionButton[] }
/** `link`: the sign-in link (an Open URL button) and what it is for; `unlink`'s answer has no link. */
export interface AccountLinkView { title: string; text: string; facts: Fact[]; links: LinkButton[] }
export interface WhoamiView { title: string; facts: Fact[]; roles: { env: string; roles: string }[] }
export interface SubscriptionsView { title: string; subtitle: string; rows: { kind: string; filter: string; created: string }[] }
export interface FreezesView { title: string; subtitle: string; rows: { env: string; window: string; reason: string; by: string }[] }
export interface DigestView { title: string; subtitle: string; items: { title: string; detail: string }[] }

/** Template name → view data. One JSON template per key in `cards/<name>.json`. */
export interface CardViews {
  help: HelpView;
  notice: NoticeView;
  error: ErrorView;
  models: ModelsView;
  model: ModelView;
  compare: CompareView;
  promotion: PromotionView;
  requests: RequestsView;
  release: ReleaseView;
  releases: ReleasesView;
  runs: RunsView;
  'run-failed': RunFailedView;
  schedule: ScheduleView;
  schedules: SchedulesView;
  'service-principal': ServicePrincipalView;
  'audit-entry': AuditEntryView;
  'audit-list': AuditListView;
  whoami: WhoamiView;
  'account-link': AccountLinkView;
  subscriptions: SubscriptionsView;
  digest: DigestView;
  freezes: FreezesView;
  whereis: WhereisView;
  endpoints: EndpointsView;
  rollback: RollbackView;
  rollout: RolloutView;
  rollouts: RolloutsView;
}
export type TemplateName = keyof CardViews;

/**
 * A picture that goes with a card (a chart). Every renderer places it under the card's heading: a
 * Slack file in an image block, a Teams Image element, a PNG file the CLI names.
 */
export interface CardImage {
  /** The picture in words (alt text; also what a reader gets when it is missing). */
  alt: string;
  /** File name without extension. */
  name: string;
  /** The PNG; absent when it could not be drawn. */
  png?: Uint8Array;
  /** Why the picture is missing, said where it would have been; absent when it is there. */
  missing?: string;
  /** What was drawn, for clients that load the picture from a link that draws it again (Teams). */
  chart?: ChartSpec;
}

export type CardMessage = { [K in TemplateName]: { template: K; data: CardViews[K]; image?: CardImage } }[TemplateName];

export function card<K extends TemplateName>(template: K, data: CardViews[K], image?: CardImage): CardMessage {
  return (image ? { template, data, image } : { template, data }) as CardMessage;
}

/** The same card with its picture said to be missing (a failed upload, a card over its size budget). */
export function imageMissing(message: CardMessage, why: string): CardMessage {
  if (!message.image) return message;
  const { png: _drawn, ...rest } = message.image;
  return { ...message, image: { ...rest, missing: why } };
}

/** Plain-text fallback (notifications, screen readers, Slack `text`). */
export function summaryOf(message: CardMessage): string {
  const d = message.data as { title?: string; text?: string; message?: string };
  return d.title ?? d.text ?? d.message ?? message.template;
}
