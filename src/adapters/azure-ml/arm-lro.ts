/**
 * Follows an ARM long-running PUT to its end: the `Azure-AsyncOperation` status URL when the answer
 * names one, else the resource's own `provisioningState`. Bounded by a deadline below the outbox
 * lease: a give-up is a timeout BotError, and a retry of the caller resumes following (the change
 * itself is already in the resource).
 */
import { BotError } from '../../core/errors';
import type { WorkspaceHandle } from './arm-client';
import { rawArm, type RawAnswer } from './arm-raw';

export interface LroSettings {
  pollMs: number;
  timeoutMs: number;
}

const TERMINAL_OK = ['succeeded'];
const TERMINAL_BAD = ['failed', 'canceled', 'cancelled'];

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function stateOf(answer: RawAnswer): string {
  const props = answer.body['properties'] as Record<string, unknown> | undefined;
  return String(props?.['provisioningState'] ?? 'Succeeded').toLowerCase();
}

function retryAfterMs(answer: RawAnswer, fallback: number): number {
  const s = Number(answer.headers.get('retry-after'));
  // The service's hint, but never slower than a few seconds for a chat-visible operation.
  return Number.isFinite(s) && s > 0 ? Math.min(s * 1000, 5000) : fallback;
}

/**
 * `first` is the PUT's answer; `resourceUrl` is re-read at the end (and polled when no operation
 * URL was given). Returns the final resource.
 */
export async function followPut(h: WorkspaceHandle, what: string, first: RawAnswer, resourceUrl: string, lro: LroSettings): Promise<RawAnswer> {
  const deadline = Date.now() + lro.timeoutMs;
  const opUrl = first.headers.get('azure-asyncoperation') ?? undefined;
  let wait = retryAfterMs(first, lro.pollMs);
  if (opUrl) {
    for (;;) {
      const op = await rawArm(h, what, 'GET', opUrl);
      const status = String(op.body['status'] ?? '').toLowerCase();
      if (TERMINAL_OK.includes(status)) break;
      if (TERMINAL_BAD.includes(status)) throw failed(h, what, status, op.body['error']);
      await pause(h, what, deadline, wait);
      wait = retryAfterMs(op, lro.pollMs);
    }
    return rawArm(h, what, 'GET', resourceUrl);
  }
  let current = first;
  for (;;) {
    const state = stateOf(current);
    if (TERMINAL_OK.includes(state)) return current;
    if (TERMINAL_BAD.includes(state)) throw failed(h, what, state, undefined);
    await pause(h, what, deadline, wait);
    current = await rawArm(h, what, 'GET', resourceUrl);
    wait = retryAfterMs(current, lro.pollMs);
  }
}

async function pause(h: WorkspaceHandle, what: string, deadline: number, ms: number): Promise<void> {
  if (Date.now() + ms > deadline) {
    throw new BotError('timeout', `Azure ML is still ${what} in ${h.env}; the bot stopped waiting.`, {
      remedy: 'It will look again on the next retry; check the endpoint in Azure ML studio if it stays busy.',
      details: { env: h.env },
    });
  }
  await sleep(ms);
}

function failed(h: WorkspaceHandle, what: string, status: string, error: unknown): BotError {
  const message = typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string'
    ? `: ${(error as { message: string }).message}` : '';
  return new BotError('upstream_unavailable', `Azure ML reports that ${what} in ${h.env} ended ${status}${message}.`, {
    remedy: 'Check the endpoint in Azure ML studio, then try again.', details: { env: h.env, status },
  });
}
