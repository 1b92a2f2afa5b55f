/**
 * ARM requests the 2.1.1 SDK cannot make (newer api-versions), sent through the same client's
 * pipeline: ARM-audience token, bounded retries honouring Retry-After, private CA, per-attempt
 * timeout. Non-2xx answers become RestErrors so they map through the one ARM error mapping.
 */
import type { PipelineResponse } from '@azure/core-rest-pipeline';
import { restPipeline } from './sdk';
import type { WorkspaceHandle } from './arm-client';
import { armCall, invalidAnswer } from './arm-errors';

/** api-version of the raw calls: the first stable one with online endpoint `mirrorTraffic`. */
export const SERVING_API_VERSION = '2024-04-01';

export interface RawAnswer {
  status: number;
  body: Record<string, unknown>;
  headers: PipelineResponse['headers'];
}

/** Workspace-relative URL (`onlineEndpoints/x`) or an absolute one (nextLink, operation status). */
export function workspaceUrl(h: WorkspaceHandle, armEndpoint: string, relative: string): string {
  const ws = h.ws;
  const base = `${armEndpoint}/subscriptions/${ws.subscriptionId}/resourceGroups/${ws.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${ws.name}`;
  return `${base}/${relative}?api-version=${SERVING_API_VERSION}`;
}

function upstreamText(response: PipelineResponse): { code?: string; message: string } {
  try {
    const parsed = JSON.parse(response.bodyAsText ?? '') as { error?: { code?: string; message?: string } };
    if (parsed.error?.message) return { code: parsed.error.code, message: parsed.error.message };
  } catch { /* not JSON: the status says enough */ }
  return { message: `HTTP ${response.status}` };
}

/** One request; `notFound: 'null'` turns a 404 into null. */
export async function rawArm(
  h: WorkspaceHandle, what: string, method: 'GET' | 'PUT', url: string, body?: unknown,
): Promise<RawAnswer>;
export async function rawArm(
  h: WorkspaceHandle, what: string, method: 'GET' | 'PUT', url: string, body: unknown, notFound: 'null',
): Promise<RawAnswer | null>;
export async function rawArm(
  h: WorkspaceHandle, what: string, method: 'GET' | 'PUT', url: string, body?: unknown, notFound?: 'null',
): Promise<RawAnswer | null> {
  const ctx = h.ctx(what);
  const call = async (): Promise<RawAnswer> => {
    const response = await h.client.sendRequest(restPipeline().createPipelineRequest({
      url, method,
      headers: restPipeline().createHttpHeaders({ accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }),
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      timeout: h.op.requestOptions.timeout,
    }));
    if (response.status >= 300) {
      const { code, message } = upstreamText(response);
      throw new (restPipeline().RestError)(message, { statusCode: response.status, code, response });
    }
    const text = response.bodyAsText ?? '';
    if (text.trim() === '') return { status: response.status, body: {}, headers: response.headers };
    let parsed: unknown;
    try { parsed = JSON.parse(text); } catch (e) { throw invalidAnswer(ctx, { status: response.status }, e); }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalidAnswer(ctx, { status: response.status });
    return { status: response.status, body: parsed as Record<string, unknown>, headers: response.headers };
  };
  return notFound === 'null' ? armCall(ctx, call, 'null') : armCall(ctx, call);
}

/** Every page of a list, following `nextLink`, bounded so a looping service cannot hold a command. */
export async function rawPages(h: WorkspaceHandle, what: string, url: string, maxPages = 50): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let next: string | undefined = url;
  for (let page = 0; next && page < maxPages; page++) {
    const answer: RawAnswer = await rawArm(h, what, 'GET', next);
    const value = answer.body['value'];
    if (!Array.isArray(value)) throw invalidAnswer(h.ctx(what), { reason: 'list answer without value' });
    for (const item of value) if (typeof item === 'object' && item !== null) out.push(item as Record<string, unknown>);
    next = typeof answer.body['nextLink'] === 'string' && answer.body['nextLink'] !== '' ? answer.body['nextLink'] : undefined;
  }
  return out;
}
