/**
 * Raw calls to the workspace MLflow REST API through the ARM client's own pipeline, so they carry
 * the ARM-audience token, the retry policies and the private CA like every SDK call.
 */
import { restPipeline } from './sdk';
import type { WorkspaceHandle } from './arm-client';
import { armCall, invalidAnswer, toArmBotError } from './arm-errors';

export interface MlflowAnswer {
  status: number;
  body: unknown;
}

/** Tracking URIs per workspace: they never change for a workspace, so one read is enough. */
export class TrackingUris {
  private readonly cache = new Map<string, Promise<string>>();

  get(h: WorkspaceHandle): Promise<string> {
    const key = `${h.ws.subscriptionId}/${h.ws.resourceGroup}/${h.ws.name}`.toLowerCase();
    let uri = this.cache.get(key);
    if (!uri) {
      uri = this.read(h);
      this.cache.set(key, uri);
      uri.catch(() => this.cache.delete(key));
    }
    return uri;
  }

  private async read(h: WorkspaceHandle): Promise<string> {
    const ctx = h.ctx('reading the workspace MLflow tracking URI');
    const ws = await armCall(ctx, () => h.client.workspaces.get(h.ws.resourceGroup, h.ws.name, h.op));
    const raw = ws.mlFlowTrackingUri;
    if (!raw) throw invalidAnswer(ctx, { reason: 'workspace has no mlFlowTrackingUri' });
    // The tracking URI uses the azureml:// scheme; its REST API is the same host over HTTPS.
    return raw.replace(/^azureml:\/\//i, 'https://').replace(/\/+$/, '');
  }
}

/**
 * Sends one MLflow request. 2xx and 400/404 come back to the caller (they carry meaning there);
 * anything else becomes a BotError.
 */
export async function mlflowRequest(
  h: WorkspaceHandle, trackingUri: string, method: 'GET' | 'POST', path: string,
  opts: { query?: Record<string, string>; body?: unknown; what: string },
): Promise<MlflowAnswer> {
  const ctx = h.ctx(opts.what);
  const url = new URL(`${trackingUri}/api/2.0/mlflow/${path}`);
  for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
  const response = await armCall(ctx, () => h.client.sendRequest(restPipeline().createPipelineRequest({
    url: url.toString(),
    method,
    headers: restPipeline().createHttpHeaders({ accept: 'application/json', ...(opts.body ? { 'content-type': 'application/json' } : {}) }),
    ...(opts.body ? { body: JSON.stringify(opts.body) } : {}),
    timeout: h.op.requestOptions.timeout,
  })));
  const status = response.status;
  if (status >= 300 && status !== 400 && status !== 404) {
    throw toArmBotError(new (restPipeline().RestError)(`MLflow ${path} answered HTTP ${status}`, { statusCode: status, response }), ctx);
  }
  if (status === 400 || status === 404) return { status, body: null };
  try {
    return { status, body: JSON.parse(response.bodyAsText ?? '') as unknown };
  } catch (e) {
    throw invalidAnswer(ctx, { path, status }, e);
  }
}
