/** What the metrics pipeline throws, as coded BotErrors that say what to check. */
import { isRestError } from '@azure/core-rest-pipeline';
import { BotError, isBotError } from '../../core/errors';
import { MONITOR_ROLE_HINT } from './options';

export interface ReadContext {
  env: string;
  endpoint: string;
  audience: string;
}

const short = (e: unknown) => {
  const m = e instanceof Error ? e.message : String(e);
  return m.length > 300 ? `${m.slice(0, 300)}…` : m;
};

export function toMonitorError(e: unknown, ctx: ReadContext): BotError {
  if (isBotError(e)) return e;
  const what = `reading the live metrics of online endpoint ${ctx.endpoint} in ${ctx.env}`;
  const details = { env: ctx.env, endpoint: ctx.endpoint, upstream: short(e) };
  const name = e instanceof Error ? e.name : '';
  if (name === 'AbortError' || name === 'TimeoutError') {
    return new BotError('timeout', `Azure Monitor did not answer in time while ${what}.`, { remedy: 'Try again in a moment; a rollout step waits for the next check.', details, cause: e });
  }
  if (/CredentialUnavailable|AuthenticationError/.test(name)) {
    return new BotError('upstream_auth', `The bot could not get an Azure token for ${ctx.audience} while ${what}.`, {
      remedy: 'Check the bot identity settings (AZURE_TENANT_ID / AZURE_CLIENT_ID / secret or managed identity).', details, cause: e,
    });
  }
  if (!isRestError(e)) return new BotError('internal', `Unexpected failure while ${what}.`, { details, cause: e });
  const status = e.statusCode ?? 0;
  const withStatus = { ...details, status, code: e.code };
  if (status === 401 || status === 403) {
    return new BotError('upstream_auth', `Azure refused ${what} (HTTP ${status}).`, {
      remedy: `Give the bot's identity the ${MONITOR_ROLE_HINT} role on the workspace (or the endpoint).`, details: withStatus, cause: e,
    });
  }
  if (status === 404) {
    return new BotError('upstream_not_found', `Online endpoint ${ctx.endpoint} has no metrics in ${ctx.env}: it was not found.`, {
      remedy: `Check the endpoint name with \`endpoints --env ${ctx.env}\`.`, details: withStatus, cause: e,
    });
  }
  if (status === 429) return new BotError('upstream_throttled', `Azure Monitor is throttling the bot (while ${what}).`, { remedy: 'Wait a minute and try again.', details: withStatus, cause: e });
  if (status >= 500 || status === 0) {
    return new BotError('upstream_unavailable', `Azure Monitor failed while ${what} (HTTP ${status}).`, { remedy: 'Try again later; the retries were used up.', details: withStatus, cause: e });
  }
  return new BotError('upstream_invalid', `Azure Monitor rejected ${what} (HTTP ${status}): ${short(e)}`, {
    remedy: 'Check that the endpoint is a managed online endpoint; the message above comes from Azure.', details: withStatus, cause: e,
  });
}
