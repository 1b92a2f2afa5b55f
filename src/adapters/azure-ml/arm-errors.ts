/** Turns what the ARM pipeline throws into coded BotErrors that name what to check. */
import { restPipeline } from './sdk';
import { BotError, isBotError } from '../../core/errors';
import type { WorkspaceRef } from '../../core/settings';
import { ML_ROLE_HINT } from './options';

export interface ArmCallContext {
  /** What was being done, for the message: "listing models". */
  what: string;
  env: string;
  workspace: WorkspaceRef;
  audience: string;
}

const wsLabel = (w: WorkspaceRef) => `${w.name} (resource group ${w.resourceGroup}, subscription ${w.subscriptionId})`;

function upstreamMessage(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.length > 300 ? `${m.slice(0, 300)}…` : m;
}

export function toArmBotError(e: unknown, ctx: ArmCallContext): BotError {
  if (isBotError(e)) return e;
  const details = { env: ctx.env, workspace: ctx.workspace.name, upstream: upstreamMessage(e) };
  const name = e instanceof Error ? e.name : '';
  if (name === 'AbortError') {
    return new BotError('timeout', `Azure ML did not answer in time while ${ctx.what} in ${ctx.env}.`, {
      remedy: 'Try again in a moment; if it persists, check the Azure status page.', details, cause: e,
    });
  }
  if (name === 'CredentialUnavailableError' || name === 'AuthenticationError' || name === 'AggregateAuthenticationError') {
    return new BotError('upstream_auth', `The bot could not get an Azure token for ${ctx.audience} while ${ctx.what}.`, {
      remedy: 'Check the bot identity settings (AZURE_TENANT_ID / AZURE_CLIENT_ID / secret or managed identity).', details, cause: e,
    });
  }
  if (restPipeline().isRestError(e)) {
    const status = e.statusCode ?? 0;
    const withStatus = { ...details, status, code: e.code };
    if (status === 401 || status === 403) {
      return new BotError('upstream_auth', `Azure refused ${ctx.what} in workspace ${wsLabel(ctx.workspace)} (HTTP ${status}).`, {
        remedy: `Give the bot's identity the ${ML_ROLE_HINT} role on workspace ${ctx.workspace.name}, and check its tokens are for ${ctx.audience}.`,
        details: withStatus, cause: e,
      });
    }
    if (status === 404) {
      return new BotError('upstream_not_found', `Not found while ${ctx.what}: check workspace ${wsLabel(ctx.workspace)} exists.`, {
        remedy: `Check the workspace of environment ${ctx.env} in the configuration.`, details: withStatus, cause: e,
      });
    }
    if (status === 409) {
      return new BotError('conflict', `Azure ML refused ${ctx.what} in ${ctx.env}: another change is under way (HTTP 409). ${upstreamMessage(e)}`, {
        remedy: 'Wait for the running operation to finish (see the resource in Azure ML studio), then try again.', details: withStatus, cause: e,
      });
    }
    if (status === 429) {
      return new BotError('upstream_throttled', `Azure ML is throttling the bot (while ${ctx.what}).`, {
        remedy: 'Wait a minute and try again.', details: withStatus, cause: e,
      });
    }
    if (status >= 500) {
      return new BotError('upstream_unavailable', `Azure ML failed while ${ctx.what} (HTTP ${status}).`, {
        remedy: 'Try again later; the retries were used up.', details: withStatus, cause: e,
      });
    }
    if (e.code === 'PARSE_ERROR' || (status >= 200 && status < 300)) {
      return invalidAnswer(ctx, withStatus, e);
    }
    if (e.code === 'REQUEST_SEND_ERROR' || status === 0) {
      return new BotError('upstream_unavailable', `Azure ML could not be reached while ${ctx.what}.`, {
        remedy: 'Check network access to the ARM endpoint.', details: withStatus, cause: e,
      });
    }
    return new BotError('upstream_invalid', `Azure ML rejected ${ctx.what} (HTTP ${status}): ${upstreamMessage(e)}`, {
      remedy: 'Check the request values; the message above comes from Azure.', details: withStatus, cause: e,
    });
  }
  if (e instanceof SyntaxError) return invalidAnswer(ctx, details, e);
  // core-lro reports a failed or canceled long-running operation as a plain Error.
  if (e instanceof Error && /long-running operation has failed|Operation was canceled|Polling (was unsuccessful|completed without)/.test(e.message)) {
    return new BotError('upstream_unavailable', `Azure ML reports that ${ctx.what} did not complete: ${upstreamMessage(e)}`, {
      remedy: 'Check the resource in Azure ML studio, then try again.', details, cause: e,
    });
  }
  return new BotError('internal', `Unexpected failure while ${ctx.what} in ${ctx.env}.`, { details, cause: e });
}

export function invalidAnswer(ctx: ArmCallContext, details: Record<string, unknown>, cause?: unknown): BotError {
  return new BotError('upstream_invalid', `Azure ML sent an answer the bot cannot read while ${ctx.what}.`, {
    remedy: 'Try again; if it persists, report it with the correlation id.', details, cause,
  });
}

export const isNotFound = (e: unknown): boolean => restPipeline().isRestError(e) && e.statusCode === 404;

/** Runs one ARM call, mapping failures; `notFound: 'null'` turns a 404 into null. */
export async function armCall<T>(ctx: ArmCallContext, fn: () => Promise<T>): Promise<T>;
export async function armCall<T>(ctx: ArmCallContext, fn: () => Promise<T>, notFound: 'null'): Promise<T | null>;
export async function armCall<T>(ctx: ArmCallContext, fn: () => Promise<T>, notFound?: 'null'): Promise<T | null> {
  try {
    return await fn();
  } catch (e) {
    if (notFound === 'null' && isNotFound(e)) return null;
    throw toArmBotError(e, ctx);
  }
}
