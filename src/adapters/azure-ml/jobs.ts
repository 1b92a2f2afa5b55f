/**
 * Azure ML jobs → JobInfo. ARM has no server-side status or time filter, so both are applied here
 * while paging; pages are read up to a bound.
 */
import type { JobBase } from '@azure/arm-machinelearning';
import { mlSdk } from './sdk';
import type { JobInfo, JobState } from '../../core/models';
import { jobErrorText } from '../../core/notifications/run-facts';
import type { WorkspaceHandle } from './arm-client';
import { armCall } from './arm-errors';

const STATE_BY_STATUS: Record<string, JobState> = {
  notstarted: 'queued', starting: 'queued', provisioning: 'queued', preparing: 'queued', queued: 'queued', scheduled: 'queued',
  running: 'running', finalizing: 'running', cancelrequested: 'running', notresponding: 'running', paused: 'running',
  completed: 'completed', failed: 'failed', canceled: 'canceled', cancelled: 'canceled',
};

/** Terminal: Completed, Failed, Canceled. Anything not known (new statuses, `Unknown`) stays 'unknown'. */
export function jobState(status: string | undefined): JobState {
  if (!status) return 'unknown';
  return STATE_BY_STATUS[status.toLowerCase()] ?? 'unknown';
}

export function toJobInfo(job: JobBase): JobInfo {
  const p = job.properties as JobBase['properties'] & { services?: Record<string, { endpoint?: string } | null> };
  const status = p.status ?? 'Unknown';
  const created = job.systemData?.createdAt;
  const createdAt = created ? new Date(created) : undefined;
  const studio = p.services?.Studio?.endpoint ?? p.services?.studio?.endpoint;
  const custom = p.properties ?? {};
  const errorText = jobErrorText(custom);
  return {
    name: job.name ?? '',
    ...(p.displayName ? { displayName: p.displayName } : {}),
    ...(p.experimentName ? { experimentName: p.experimentName } : {}),
    ...(p.jobType ? { jobType: p.jobType } : {}),
    status,
    state: jobState(status),
    ...(createdAt && !Number.isNaN(createdAt.getTime()) ? { createdAt } : {}),
    ...(errorText ? { error: String(errorText) } : {}),
    ...(studio ? { studioUrl: studio } : {}),
    ...(p.tags && Object.keys(p.tags).length > 0 ? { tags: { ...p.tags } as Record<string, string> } : {}),
  };
}

export interface ListJobsOptions {
  since?: Date;
  limit?: number;
  maxPages: number;
}

export async function listJobs(h: WorkspaceHandle, opts: ListJobsOptions): Promise<JobInfo[]> {
  const limit = opts.limit ?? 50;
  return armCall(h.ctx('listing jobs'), async () => {
    const found: JobInfo[] = [];
    let pages = 0;
    for await (const page of h.client.jobs.list(h.ws.resourceGroup, h.ws.name, h.op).byPage()) {
      pages += 1;
      const infos = page.map(toJobInfo);
      for (const info of infos) {
        if (opts.since && (!info.createdAt || info.createdAt < opts.since)) continue;
        found.push(info);
      }
      // The service lists newest first; a page entirely older than `since` ends the walk.
      const allOlder = opts.since !== undefined && infos.length > 0 && infos.every((i) => i.createdAt && i.createdAt < opts.since!);
      if (allOlder || pages >= opts.maxPages || (found.length >= limit && !opts.since)) break;
    }
    found.sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
    return found.slice(0, limit);
  });
}

/** Jobs of the window, walking pages newest first until one reaches past `since` or the budget ends. */
export async function jobsSince(h: WorkspaceHandle, since: Date, maxPages: number): Promise<{ jobs: JobInfo[]; complete: boolean }> {
  return armCall(h.ctx('listing jobs'), async () => {
    const jobs: JobInfo[] = [];
    let pages = 0;
    for await (const page of h.client.jobs.list(h.ws.resourceGroup, h.ws.name, h.op).byPage()) {
      pages += 1;
      const infos = page.map(toJobInfo);
      jobs.push(...infos.filter((i) => !i.createdAt || i.createdAt >= since));
      const reachedOlder = infos.some((i) => i.createdAt && i.createdAt < since);
      const last = !mlSdk().getContinuationToken(page);
      if (reachedOlder || last) return { jobs: sortNewest(jobs), complete: true };
      if (pages >= maxPages) return { jobs: sortNewest(jobs), complete: false };
    }
    return { jobs: sortNewest(jobs), complete: true };
  });
}

const sortNewest = (jobs: JobInfo[]): JobInfo[] => jobs.sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
