/**
 * Latest metric values of many runs in one MLflow `runs/search` (run id = Azure ML job name).
 * Runs the search does not return (the filter unsupported → 400, or runs outside what the search
 * covers) are read one by one with `runs/get`; a run that does not exist is simply absent.
 */
import { mapLimit } from '../../core/commands/map-limit';
import type { MetricsByRun } from '../../core/models';
import type { WorkspaceHandle } from './arm-client';
import { invalidAnswer } from './arm-errors';
import { mlflowRequest, type TrackingUris } from './mlflow-client';

interface MlflowMetric { key?: unknown; value?: unknown; timestamp?: unknown; step?: unknown }
interface MlflowRun { info?: { run_id?: unknown; run_uuid?: unknown }; data?: { metrics?: MlflowMetric[] } }

const SAFE_RUN_ID = /^[A-Za-z0-9_.:-]+$/;
const MAX_SEARCH_PAGES = 10;
/** runs/get calls in flight at once when runs/search is refused. */
const FALLBACK_PARALLEL = 16;

/** MLflow filter for a set of run ids (MLflow search syntax: `attributes.run_id IN ('a', 'b')`). */
export function runIdFilter(runIds: string[]): string {
  return `attributes.run_id IN (${runIds.map((id) => `'${id}'`).join(', ')})`;
}

export function latestMetrics(run: MlflowRun): Record<string, number> {
  const best = new Map<string, { value: number; ts: number; step: number }>();
  for (const m of run.data?.metrics ?? []) {
    if (typeof m.key !== 'string') continue;
    const value = Number(m.value);
    if (!Number.isFinite(value)) continue;
    const ts = Number(m.timestamp ?? 0) || 0;
    const step = Number(m.step ?? 0) || 0;
    const prev = best.get(m.key);
    if (!prev || ts > prev.ts || (ts === prev.ts && step >= prev.step)) best.set(m.key, { value, ts, step });
  }
  return Object.fromEntries([...best].map(([k, v]) => [k, v.value]));
}

const runIdOf = (run: MlflowRun): string | undefined => {
  const id = run.info?.run_id ?? run.info?.run_uuid;
  return typeof id === 'string' ? id : undefined;
};

export async function getMetrics(h: WorkspaceHandle, uris: TrackingUris, runIds: string[]): Promise<MetricsByRun> {
  const wanted = [...new Set(runIds.filter((id) => id))];
  if (wanted.length === 0) return {};
  const uri = await uris.get(h);
  const result: MetricsByRun = {};
  const searchable = wanted.filter((id) => SAFE_RUN_ID.test(id));
  if (searchable.length > 0) await search(h, uri, searchable, result);
  const missing = wanted.filter((id) => !(id in result));
  // The fallback reads the runs side by side (bounded), not one after another.
  await mapLimit(missing, FALLBACK_PARALLEL, async (id) => {
    const answer = await mlflowRequest(h, uri, 'GET', 'runs/get', { query: { run_id: id }, what: `reading metrics of run ${id}` });
    if (answer.status !== 200) return;
    const run = (answer.body as { run?: MlflowRun } | null)?.run;
    if (!run || typeof run !== 'object') throw invalidAnswer(h.ctx(`reading metrics of run ${id}`), { reason: 'runs/get without run' });
    result[id] = latestMetrics(run);
  });
  return result;
}

async function search(h: WorkspaceHandle, uri: string, ids: string[], result: MetricsByRun): Promise<void> {
  const what = `searching metrics of ${ids.length} run(s)`;
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_SEARCH_PAGES; page += 1) {
    const answer = await mlflowRequest(h, uri, 'POST', 'runs/search', {
      what,
      body: {
        experiment_ids: [],
        filter: runIdFilter(ids),
        run_view_type: 'ALL',
        max_results: Math.max(ids.length, 1),
        ...(pageToken ? { page_token: pageToken } : {}),
      },
    });
    // 400: this tracking server does not take the filter; the caller reads the runs one by one.
    if (answer.status !== 200) return;
    const body = answer.body as { runs?: unknown; next_page_token?: unknown } | null;
    if (!body || typeof body !== 'object' || (body.runs !== undefined && !Array.isArray(body.runs))) {
      throw invalidAnswer(h.ctx(what), { reason: 'runs/search answer without a runs array' });
    }
    for (const run of (body.runs ?? []) as MlflowRun[]) {
      const id = runIdOf(run);
      if (id && ids.includes(id)) result[id] = latestMetrics(run);
    }
    pageToken = typeof body.next_page_token === 'string' && body.next_page_token ? body.next_page_token : undefined;
    if (!pageToken || ids.every((id) => id in result)) return;
  }
}
