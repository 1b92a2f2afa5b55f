/**
 * The fallback intake for workspaces whose Event Grid subscription is missing or lost deliveries:
 * lists each environment's recent jobs and feeds the failed and canceled ones to the router. It
 * runs beside Event Grid, not instead of it: both give a run's outcome the same dedupe key
 * (`run-key.ts`), so a channel hears about it once whichever intake comes first.
 *
 * Jobs can only be listed by creation time, and a job created long ago may fail now. So the stored
 * checkpoint (namespace `notify-poll`, one per environment) is a watermark: the creation time of
 * the oldest job still running at the last poll (or of the newest job seen, when none runs).
 * Everything created before it had already ended and been reported; the next poll lists from it.
 * The checkpoint moves only after the router has recorded the deliveries, and the router's seen
 * keys drop what an earlier poll or Event Grid already reported, so a restart neither misses nor
 * repeats a failure. A job left running for longer than `maxLookbackMs` stops holding it back.
 */
import type { JobInfo } from '../models';
import type { Clock, Logger, ModelRegistry, Store } from '../ports';
import type { BotSettings, EnvironmentSettings } from '../settings';
import { excerpt, type NormalisedEvent } from './event';
import type { IngestResult, NotificationRouter } from './router';
import { modelOfTags, runTitle } from './run-facts';
import { runOutcomeKey } from './run-key';

export const POLL_NS = 'notify-poll';
const STUDIO = 'https://ml.azure.com';

export interface PollCheckpoint {
  /** ISO creation time from which the next poll lists jobs. */
  since: string;
  polledAt: string;
}

export interface JobPollerOptions {
  /** First poll of an environment: how far back failures are still worth telling (default 1 h). */
  initialLookbackMs?: number;
  /** The watermark never trails now by more than this (default 3 days). */
  maxLookbackMs?: number;
  /** Jobs listed per environment and poll (default 500). */
  limit?: number;
}

export interface JobPollerDeps {
  store: Pick<Store, 'getDoc' | 'putDoc'>;
  registry: Pick<ModelRegistry, 'listJobs'>;
  router: Pick<NotificationRouter, 'ingest'>;
  settings: BotSettings;
  clock: Clock;
  log: Logger;
  options?: JobPollerOptions;
}

export interface PollResult extends IngestResult {
  /** Environments polled without error. */
  polled: number;
  failed: number;
  jobs: number;
}

export class JobPoller {
  private readonly o: Required<JobPollerOptions>;

  constructor(private readonly deps: JobPollerDeps) {
    this.o = { initialLookbackMs: 3_600_000, maxLookbackMs: 3 * 86_400_000, limit: 500, ...deps.options };
  }

  /** Polls every environment; one that cannot be listed is logged and retried next time. */
  async pollOnce(): Promise<PollResult> {
    const total: PollResult = { polled: 0, failed: 0, jobs: 0, accepted: 0, duplicates: 0, ignored: 0, unrouted: 0, deliveries: 0 };
    for (const env of this.deps.settings.environments) {
      try {
        const r = await this.pollEnv(env);
        total.polled++;
        total.jobs += r.jobs;
        for (const k of ['accepted', 'duplicates', 'ignored', 'unrouted', 'deliveries'] as const) total[k] += r[k];
      } catch (err) {
        total.failed++;
        this.deps.log.warn({ env: env.name, err: err instanceof Error ? err.message : String(err) }, 'job poll failed; retrying next time');
      }
    }
    return total;
  }

  async pollEnv(env: EnvironmentSettings): Promise<IngestResult & { jobs: number }> {
    const now = this.deps.clock.now();
    const saved = await this.deps.store.getDoc<PollCheckpoint>(POLL_NS, env.name);
    const floor = now.getTime() - this.o.maxLookbackMs;
    const start = saved ? Date.parse(saved.since) : now.getTime() - this.o.initialLookbackMs;
    const since = new Date(Math.max(Number.isNaN(start) ? floor : start, floor));
    const jobs = await this.deps.registry.listJobs(env.name, { since, limit: this.o.limit });
    if (jobs.length >= this.o.limit) this.deps.log.warn({ env: env.name, limit: this.o.limit }, 'job poll hit its limit; older jobs of this window may be missed');
    const events = jobs.map((job) => jobEvent(job, env, now)).filter((e): e is NormalisedEvent => e !== null);
    const result = events.length > 0 ? await this.deps.router.ingest(events) : { accepted: 0, duplicates: 0, ignored: 0, unrouted: 0, deliveries: 0 };
    await this.deps.store.putDoc<PollCheckpoint>(POLL_NS, env.name, { since: nextWatermark(jobs, since).toISOString(), polledAt: now.toISOString() });
    return { ...result, jobs: jobs.length };
  }
}

const ENDED = new Set(['completed', 'failed', 'canceled']);

/** The oldest creation time still running, else the newest seen, else where this poll started. */
export function nextWatermark(jobs: readonly JobInfo[], since: Date): Date {
  const times = (pick: (j: JobInfo) => boolean) => jobs.filter((j) => pick(j) && j.createdAt).map((j) => j.createdAt!.getTime());
  const open = times((j) => !ENDED.has(j.state));
  if (open.length > 0) return new Date(Math.max(since.getTime(), Math.min(...open)));
  const all = times(() => true);
  return new Date(Math.max(since.getTime(), ...all));
}

/** A failed or canceled job as the notification Event Grid would have raised for it. */
export function jobEvent(job: JobInfo, env: EnvironmentSettings, detectedAt: Date): NormalisedEvent | null {
  const kind = job.state === 'failed' ? 'run_failed' : job.state === 'canceled' ? 'run_canceled' : undefined;
  if (!kind || !job.name) return null;
  const key = runOutcomeKey(env.workspace, job.name, kind, job.status);
  if (!key) return null;
  const ws = env.workspace;
  const wsid = `/subscriptions/${ws.subscriptionId}/resourceGroups/${ws.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${ws.name}`;
  const studio = job.studioUrl && /^https:\/\/[^\s]+$/i.test(job.studioUrl) ? job.studioUrl : `${STUDIO}/runs/${encodeURIComponent(job.name)}?wsid=${encodeURI(wsid)}`;
  return {
    id: key,
    dedupeKey: key,
    kind,
    source: 'poller',
    env: env.name,
    workspace: ws.name,
    title: runTitle({ kind, status: job.status, env: env.name, subject: job.name, displayName: job.displayName }),
    subject: job.name,
    ...(job.displayName ? { displayName: job.displayName } : {}),
    ...(modelOfTags(job.tags) ? { model: modelOfTags(job.tags) } : {}),
    ...(job.experimentName ? { experiment: job.experimentName } : {}),
    status: job.status,
    ...(job.error ? { error: excerpt(job.error) } : {}),
    links: { studio },
    // Jobs are listed without their end time; when the poll saw it is the closest known.
    occurredAt: detectedAt.toISOString(),
  };
}
