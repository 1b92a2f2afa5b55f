/**
 * Fault handling around every Azure DevOps call: bounded retries honouring Retry-After, and the
 * mapping of what azure-devops-node-api (typed-rest-client) or fetch throws to coded BotErrors.
 */
import { BotError, isBotError } from '../../core/errors';
import type { Logger } from '../../core/ports';
import { DEVOPS_PERMISSION_HINT, type DevOpsRetrySettings } from './options';

export interface AdoCallContext {
  what: string;
  project: string;
  retry: DevOpsRetrySettings;
  log: Logger;
  /** false for calls that create something: they are retried only when nothing happened (429). */
  idempotent: boolean;
}

/** The error shape typed-rest-client rejects with (statusCode, rateLimit from 17.x, headers). */
interface AdoHttpError extends Error {
  statusCode?: number;
  rateLimit?: { retryAfter?: number };
  responseHeaders?: Record<string, string | string[] | undefined>;
  code?: string;
  malformed?: boolean;
}

export class AdoResponseError extends Error implements AdoHttpError {
  constructor(message: string, readonly statusCode: number, readonly responseHeaders: Record<string, string | undefined> = {}, readonly malformed = false) {
    super(message);
    this.name = 'AdoResponseError';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function retryAfterMs(e: AdoHttpError): number | undefined {
  if (typeof e.rateLimit?.retryAfter === 'number' && Number.isFinite(e.rateLimit.retryAfter)) return e.rateLimit.retryAfter * 1000;
  const raw = e.responseHeaders?.['retry-after'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined) return undefined;
  const n = Number(value);
  if (Number.isFinite(n)) return n * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

/** Delay before the next attempt, or undefined when this failure must not be retried. */
function nextDelay(e: AdoHttpError, attempt: number, ctx: AdoCallContext): number | undefined {
  const status = e.statusCode ?? 0;
  const transient = status === 500 || status === 502 || status === 503 || status === 504;
  if (status !== 429 && !(transient && ctx.idempotent)) return undefined;
  const after = retryAfterMs(e);
  if (after !== undefined) return after > ctx.retry.maxRetryAfterMs ? undefined : after;
  return Math.min(ctx.retry.maxRetryDelayMs, ctx.retry.retryDelayMs * 2 ** attempt);
}

export async function adoCall<T>(ctx: AdoCallContext, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await fn();
    } catch (e) {
      if (isBotError(e)) throw e;
      const err = e as AdoHttpError;
      const delay = attempt < ctx.retry.maxRetries ? nextDelay(err, attempt, ctx) : undefined;
      if (delay === undefined) throw toAdoBotError(err, ctx);
      ctx.log.debug({ what: ctx.what, status: err.statusCode, attempt: attempt + 1, delayMs: delay }, 'retrying Azure DevOps call');
      await sleep(delay);
    }
  }
}

export function toAdoBotError(e: unknown, ctx: Pick<AdoCallContext, 'what' | 'project'>): BotError {
  if (isBotError(e)) return e;
  const err = e as AdoHttpError;
  const status = err.statusCode ?? 0;
  const upstream = (err.message ?? String(e)).slice(0, 300);
  const details = { what: ctx.what, status, upstream };
  if (err.malformed || e instanceof SyntaxError) {
    return new BotError('upstream_invalid', `Azure DevOps sent an answer the bot cannot read while ${ctx.what}.`, {
      remedy: 'Try again; if it persists, report it with the correlation id.', details, cause: e,
    });
  }
  if (status === 401 || status === 403) {
    return new BotError('upstream_auth', `Azure DevOps refused ${ctx.what} (HTTP ${status}).`, {
      remedy: `Check ${DEVOPS_PERMISSION_HINT} ${ctx.project}.`, details, cause: e,
    });
  }
  if (status === 404) {
    return new BotError('upstream_not_found', `Azure DevOps found nothing while ${ctx.what}.`, {
      remedy: `Check the organization URL, project ${ctx.project} and the release settings.`, details, cause: e,
    });
  }
  if (status === 429) {
    return new BotError('upstream_throttled', `Azure DevOps is throttling the bot (while ${ctx.what}).`, {
      remedy: 'Wait a minute and try again.', details, cause: e,
    });
  }
  if (status >= 500) {
    return new BotError('upstream_unavailable', `Azure DevOps failed while ${ctx.what} (HTTP ${status}).`, {
      remedy: 'Try again later; check the release in Azure DevOps before starting another.', details, cause: e,
    });
  }
  if (/timeout/i.test(upstream) || err.name === 'TimeoutError' || err.name === 'AbortError') {
    return new BotError('timeout', `Azure DevOps did not answer in time while ${ctx.what}.`, {
      remedy: 'Try again; check in Azure DevOps whether the action happened.', details, cause: e,
    });
  }
  if (status >= 400) {
    return new BotError('upstream_invalid', `Azure DevOps rejected ${ctx.what} (HTTP ${status}): ${upstream}`, {
      remedy: 'Check the release settings; the message above comes from Azure DevOps.', details, cause: e,
    });
  }
  if (err.code === 'ECONNREFUSED' || err.code === 'ENOTFOUND' || err.code === 'ECONNRESET' || /fetch failed/i.test(upstream)) {
    return new BotError('upstream_unavailable', `Azure DevOps could not be reached while ${ctx.what}.`, {
      remedy: 'Check the organization URL and network access.', details, cause: e,
    });
  }
  return new BotError('internal', `Unexpected failure while ${ctx.what}.`, { details, cause: e });
}
