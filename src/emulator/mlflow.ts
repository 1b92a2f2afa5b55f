/** The workspace MLflow REST API under the tracking URI (`{uri}/api/2.0/mlflow/...`). */
import { armRoute as armRouteWithVersion, asRecord, PROVIDER } from './arm-common';
import type { EmulatorContext } from './context';
import { FilterError, matches, parseFilter } from './mlflow-filter';
import type { Ctx, Router } from './router';
import { queryParam, sendJson } from './router';
import type { MlflowRun, WorkspaceState } from './state';

const BASE = `/mlflow/v1.0/subscriptions/:sub/resourceGroups/:rg/providers/${PROVIDER}/workspaces/:ws/api/2.0/mlflow`;

function mlflowError(ctx: Ctx, status: number, code: string, message: string): void {
  sendJson(ctx.res, status, { error_code: code, message });
}

function latestMetrics(run: MlflowRun): MlflowRun['metrics'] {
  const latest = new Map<string, MlflowRun['metrics'][number]>();
  for (const m of run.metrics) {
    const seen = latest.get(m.key);
    if (!seen || m.timestamp > seen.timestamp || (m.timestamp === seen.timestamp && m.step >= seen.step)) latest.set(m.key, m);
  }
  return [...latest.values()];
}

export function runView(ws: WorkspaceState, run: MlflowRun): Record<string, unknown> {
  return {
    info: {
      run_id: run.runId, run_uuid: run.runId, run_name: run.tags['mlflow.runName'] ?? run.runId,
      experiment_id: run.experimentId, user_id: run.tags['mlflow.user'] ?? '', status: run.status,
      start_time: run.startTime, ...(run.endTime !== undefined ? { end_time: run.endTime } : {}),
      artifact_uri: `azureml://experiments/${run.experimentId}/runs/${run.runId}/artifacts`, lifecycle_stage: 'active',
    },
    data: {
      metrics: latestMetrics(run),
      params: Object.entries(run.params).map(([key, value]) => ({ key, value })),
      tags: Object.entries(run.tags).map(([key, value]) => ({ key, value })),
    },
  };
}

function findRun(ctx: Ctx, ws: WorkspaceState, runId: string | undefined): MlflowRun | undefined {
  const run = runId ? ws.runs[runId] : undefined;
  if (!run) mlflowError(ctx, 404, 'RESOURCE_DOES_NOT_EXIST', `Run '${runId ?? ''}' not found.`);
  return run;
}

function searchRuns(ctx: Ctx, ws: WorkspaceState): void {
  const body = asRecord(ctx.body);
  const experimentIds = Array.isArray(body['experiment_ids']) ? (body['experiment_ids'] as unknown[]).map(String) : [];
  let clauses;
  try {
    clauses = parseFilter(typeof body['filter'] === 'string' ? body['filter'] : undefined);
  } catch (err) {
    if (err instanceof FilterError) return mlflowError(ctx, 400, 'INVALID_PARAMETER_VALUE', err.message);
    throw err;
  }
  const order = Array.isArray(body['order_by']) ? String((body['order_by'] as unknown[])[0] ?? '') : '';
  const ascending = /\basc\b/i.test(order);
  const byEnd = /end_time/i.test(order);
  const runs = Object.values(ws.runs)
    .filter((r) => experimentIds.length === 0 || experimentIds.includes(r.experimentId))
    .filter((r) => matches(r, clauses))
    .sort((a, b) => {
      const d = byEnd ? (a.endTime ?? 0) - (b.endTime ?? 0) : a.startTime - b.startTime;
      return ascending ? d : -d;
    });
  const max = Math.min(Number(body['max_results'] ?? 1000) || 1000, 50000);
  const offset = Number(body['page_token'] ? Buffer.from(String(body['page_token']), 'base64').toString() : 0) || 0;
  const page = runs.slice(offset, offset + max);
  const next = offset + max < runs.length ? Buffer.from(String(offset + max)).toString('base64') : undefined;
  sendJson(ctx.res, 200, { runs: page.map((r) => runView(ws, r)), ...(next ? { next_page_token: next } : {}) });
}

function metricHistory(ctx: Ctx, ws: WorkspaceState): void {
  const run = findRun(ctx, ws, queryParam(ctx.query, 'run_id') ?? queryParam(ctx.query, 'run_uuid'));
  if (!run) return;
  const key = queryParam(ctx.query, 'metric_key');
  if (!key) return mlflowError(ctx, 400, 'INVALID_PARAMETER_VALUE', "Missing value for required parameter 'metric_key'.");
  const all = run.metrics.filter((m) => m.key === key).sort((a, b) => a.step - b.step || a.timestamp - b.timestamp);
  const max = Number(queryParam(ctx.query, 'max_results') ?? 25000) || 25000;
  const offset = Number(queryParam(ctx.query, 'page_token') ?? 0) || 0;
  const next = offset + max < all.length ? String(offset + max) : undefined;
  sendJson(ctx.res, 200, { metrics: all.slice(offset, offset + max), ...(next ? { next_page_token: next } : {}) });
}

export function registerMlflowRoutes(router: Router, emu: EmulatorContext): void {
  // MLflow takes no api-version; the token and workspace checks are the ARM ones.
  const armRoute: typeof armRouteWithVersion = (e, handler) => armRouteWithVersion(e, handler, { apiVersion: false });
  router.add('GET', `${BASE}/runs/get`, armRoute(emu, (ctx, ws) => {
    const run = findRun(ctx, ws, queryParam(ctx.query, 'run_id') ?? queryParam(ctx.query, 'run_uuid'));
    if (run) sendJson(ctx.res, 200, { run: runView(ws, run) });
  }));
  router.add('GET', `${BASE}/metrics/get-history`, armRoute(emu, (ctx, ws) => metricHistory(ctx, ws)));
  router.add('POST', `${BASE}/runs/search`, armRoute(emu, (ctx, ws) => searchRuns(ctx, ws)));
  router.add('GET', `${BASE}/experiments/get-by-name`, armRoute(emu, (ctx, ws) => {
    const name = queryParam(ctx.query, 'experiment_name') ?? '';
    const exp = ws.experiments[name];
    if (!exp) return mlflowError(ctx, 404, 'RESOURCE_DOES_NOT_EXIST', `Could not find experiment with name '${name}'.`);
    sendJson(ctx.res, 200, { experiment: { experiment_id: exp.id, name, artifact_location: '', lifecycle_stage: 'active', creation_time: exp.createdAt, last_update_time: exp.createdAt, tags: [] } });
  }));
  router.add('GET', `${BASE}/experiments/get`, armRoute(emu, (ctx, ws) => {
    const id = queryParam(ctx.query, 'experiment_id') ?? '';
    const entry = Object.entries(ws.experiments).find(([, e]) => e.id === id);
    if (!entry) return mlflowError(ctx, 404, 'RESOURCE_DOES_NOT_EXIST', `Could not find experiment with id '${id}'.`);
    const [name, exp] = entry;
    sendJson(ctx.res, 200, { experiment: { experiment_id: exp.id, name, artifact_location: '', lifecycle_stage: 'active', creation_time: exp.createdAt, last_update_time: exp.createdAt, tags: [] } });
  }));
}
