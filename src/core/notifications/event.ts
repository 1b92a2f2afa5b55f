/**
 * The neutral form of everything that can reach a channel as a notification, whatever its origin
 * (Event Grid, CloudEvents, Azure DevOps service hooks, a poller).
 */
export const EVENT_KINDS = [
  'run_failed', 'run_succeeded', 'run_canceled',
  'release_failed', 'release_rejected', 'release_succeeded', 'release_canceled',
  'approval_pending',
  'model_registered', 'model_deployed', 'drift_detected',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export type EventSource = 'azure-ml' | 'azure-devops' | 'poller';

export interface NormalisedEvent {
  /** Dedupe key: the same for every redelivery of one upstream event, across schemas. */
  id: string;
  /**
   * What happened, when several intakes can report it (Event Grid and the job poller both see a
   * run fail, each with its own id): deliveries and dedupe use it instead of `id` when present.
   */
  dedupeKey?: string;
  kind: EventKind;
  source: EventSource;
  /** Configured environment the event belongs to, when it could be mapped. */
  env?: string;
  /** Azure ML workspace name (Azure ML events). */
  workspace?: string;
  /** One line: "Azure ML job failed: train-taxi-42". */
  title: string;
  /** The job, run or release the event is about. */
  subject: string;
  /** The job's display name when it has one (what `runs` shows); `subject` keeps its id. */
  displayName?: string;
  experiment?: string;
  pipeline?: string;
  /** The registered model the event is about, when the event says (a job's `model` tag, a registration). */
  model?: string;
  /** Upstream status as sent (for the card), e.g. `Failed`, `rejected`. */
  status?: string;
  /** Error excerpt, when the upstream sent one. */
  error?: string;
  links: { studio?: string; run?: string };
  /** Display name or qualified id of whoever owns the run/release, when known. */
  owner?: string;
  /** ISO time the upstream says it happened. */
  occurredAt: string;
}

/** Subscription kinds a channel can choose from (the `subscribe` grammar). */
export const SUBSCRIPTION_KINDS = ['failed-runs', 'releases', 'approvals'] as const;
export type SubscriptionKind = (typeof SUBSCRIPTION_KINDS)[number];

/** Event kinds each subscription kind receives when it has no kind filter. */
export const KINDS_OF: Record<SubscriptionKind, readonly EventKind[]> = {
  'failed-runs': ['run_failed'],
  releases: ['release_failed', 'release_rejected', 'release_succeeded', 'release_canceled'],
  approvals: ['approval_pending'],
};

/** Event kinds a subscription kind may narrow to with `--filter kind:…`. */
export const FAMILY_OF: Record<SubscriptionKind, readonly EventKind[]> = {
  'failed-runs': ['run_failed', 'run_canceled'],
  releases: ['release_failed', 'release_rejected', 'release_succeeded', 'release_canceled'],
  approvals: ['approval_pending'],
};

/** Failure-like kinds get the attention card; the others a status card. */
export const ALERT_KINDS: ReadonlySet<EventKind> = new Set(['run_failed', 'run_canceled', 'release_failed', 'release_rejected', 'release_canceled']);

export const lower = (v: unknown): string => (typeof v === 'string' ? v.trim().toLowerCase() : '');
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : typeof v === 'number' ? String(v) : undefined);
export const obj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** Reads the first present key among casings (`runStatus`, `RunStatus`). */
export function pick(data: Record<string, unknown>, ...names: string[]): unknown {
  for (const n of names) {
    if (data[n] !== undefined && data[n] !== null) return data[n];
    const alt = n[0] === n[0].toUpperCase() ? n[0].toLowerCase() + n.slice(1) : n[0].toUpperCase() + n.slice(1);
    if (data[alt] !== undefined && data[alt] !== null) return data[alt];
  }
  return undefined;
}

/** Error excerpts stay short: a card shows the gist, the link shows the rest. */
export function excerpt(text: string | undefined, max = 600): string | undefined {
  if (text === undefined) return undefined;
  const t = text.replace(/\r\n?/g, '\n').trim();
  if (t === '') return undefined;
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}
