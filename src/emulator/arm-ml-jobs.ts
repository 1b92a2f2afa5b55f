/** Jobs of a workspace: list (jobType/tag filters, paging), get, create (simulated lifecycle), cancel. */
import { armError, armRoute, asRecord, envelope, notFound, sendPage, touched, WS_PATH } from './arm-common';
import type { EmulatorContext } from './context';
import { runEvents } from './events';
import { submitJob } from './job-sim';
import type { Ctx, Router } from './router';
import { queryParam, sendJson } from './router';
import type { WorkspaceState } from './state';

const JOB_TYPES = ['AutoML', 'Command', 'Sweep', 'Pipeline'];
const TERMINAL = ['Completed', 'Failed', 'Canceled'];

function listJobs(ctx: Ctx, emu: EmulatorContext, ws: WorkspaceState, wsId: string): void {
  const jobType = queryParam(ctx.query, 'jobType')?.toLowerCase();
  const tag = queryParam(ctx.query, 'tag');
  const view = (queryParam(ctx.query, 'listViewType') ?? 'ActiveOnly').toLowerCase();
  const items = Object.entries(ws.jobs)
    .filter(([, job]) => {
      const p = job.properties;
      const archived = p['isArchived'] === true;
      return (!jobType || String(p['jobType']).toLowerCase() === jobType)
        && (!tag || tag in asRecord(p['tags']))
        && (view === 'all' || (view === 'archivedonly' ? archived : !archived));
    })
    .sort(([, a], [, b]) => b.systemData.createdAt.localeCompare(a.systemData.createdAt))
    .map(([name, job]) => envelope(wsId, 'jobs', 'workspaces/jobs', name, job));
  sendPage(ctx, emu, items);
}

function createJob(ctx: Ctx, emu: EmulatorContext, ws: WorkspaceState, wsId: string): void {
  const name = ctx.params['name'] ?? '';
  const props = asRecord(asRecord(ctx.body)['properties']);
  if (!JOB_TYPES.includes(String(props['jobType']))) {
    armError(ctx, 400, 'UserError', `properties.jobType must be one of ${JOB_TYPES.join(', ')}.`);
    return;
  }
  const existing = ws.jobs[name];
  if (existing) {
    // Only description, tags and properties of an existing job may change.
    for (const key of ['description', 'tags', 'properties', 'displayName']) {
      if (props[key] !== undefined) existing.properties[key] = props[key];
    }
    existing.systemData = touched(existing.systemData, emu.clock.now().toISOString());
    emu.persist();
    sendJson(ctx.res, 200, envelope(wsId, 'jobs', 'workspaces/jobs', name, existing));
    return;
  }
  const job = submitJob(emu, ws, name, { experimentName: 'Default', tags: {}, properties: {}, isArchived: false, services: {}, ...props }, emu.clock.now().getTime());
  emu.persist();
  sendJson(ctx.res, 201, envelope(wsId, 'jobs', 'workspaces/jobs', name, job));
}

function cancelJob(ctx: Ctx, emu: EmulatorContext, ws: WorkspaceState): void {
  const name = ctx.params['name'] ?? '';
  const job = ws.jobs[name];
  if (!job) return notFound(ctx, 'Job', name);
  if (!TERMINAL.includes(String(job.properties['status']))) {
    const now = emu.clock.now();
    job.properties['status'] = 'Canceled';
    job.systemData = touched(job.systemData, now.toISOString());
    const run = ws.runs[name];
    if (run) Object.assign(run, { status: 'KILLED', endTime: now.getTime() });
    for (const event of runEvents(emu, ws, name, job)) emu.emit(event);
    emu.persist();
  }
  sendJson(ctx.res, 200, undefined);
}

export function registerJobRoutes(router: Router, emu: EmulatorContext): void {
  router.add('GET', `${WS_PATH}/jobs`, armRoute(emu, (ctx, ws, wsId) => listJobs(ctx, emu, ws, wsId)));
  router.add('GET', `${WS_PATH}/jobs/:name`, armRoute(emu, (ctx, ws, wsId) => {
    const name = ctx.params['name'] ?? '';
    const job = ws.jobs[name];
    if (!job) return notFound(ctx, 'Job', name);
    sendJson(ctx.res, 200, envelope(wsId, 'jobs', 'workspaces/jobs', name, job));
  }));
  router.add('PUT', `${WS_PATH}/jobs/:name`, armRoute(emu, (ctx, ws, wsId) => createJob(ctx, emu, ws, wsId)));
  router.add('POST', `${WS_PATH}/jobs/:name/cancel`, armRoute(emu, (ctx, ws) => cancelJob(ctx, emu, ws)));
}
