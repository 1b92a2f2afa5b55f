/**
 * Web API failures as coded errors, so the outbox retries what is worth retrying (honouring
 * Retry-After) and the log and the user see the setting to fix instead of a raw Slack code.
 */
import { ErrorCode as WebErrorCode, type WebAPICallError } from '@slack/web-api';
import { BotError, isBotError } from '../../core/errors';

const NOT_IN_CHANNEL = new Set(['not_in_channel', 'channel_not_found', 'is_archived']);
const AUTH = new Set(['invalid_auth', 'not_authed', 'token_revoked', 'token_expired', 'account_inactive', 'missing_scope', 'no_permission', 'ekm_access_denied']);
const INVALID = new Set(['invalid_blocks', 'invalid_blocks_format', 'msg_too_long', 'msg_blocks_too_long', 'no_text', 'too_many_attachments', 'invalid_arguments']);

export function slackError(method: string, e: unknown, target?: string): BotError {
  if (isBotError(e)) return e;
  const err = e as Partial<WebAPICallError> & { data?: { error?: string; needed?: string }; retryAfter?: number; statusCode?: number };
  const where = target ? ` (${target})` : '';
  switch (err.code) {
    case WebErrorCode.RateLimitedError: {
      const seconds = typeof err.retryAfter === 'number' ? err.retryAfter : 1;
      return new BotError('upstream_throttled', `Slack rate-limited ${method}${where}.`, { details: { method, retryAfterMs: seconds * 1000 }, cause: e });
    }
    case WebErrorCode.PlatformError: {
      const code = err.data?.error ?? 'unknown_error';
      if (NOT_IN_CHANNEL.has(code)) {
        return new BotError('config_invalid', `Slack refused ${method}${where}: ${code}.`, {
          remedy: 'Invite the bot to that channel (/invite @MLOps Bot) or fix the channel id in the configuration.', details: { method, slack: code }, cause: e,
        });
      }
      if (AUTH.has(code)) {
        const needed = err.data?.needed ? ` (needs ${err.data.needed})` : '';
        return new BotError('upstream_auth', `Slack refused the bot token for ${method}: ${code}${needed}.`, {
          remedy: 'Reinstall the Slack app with the scopes of manifest/slack/manifest.yaml and update SLACK_BOT_TOKEN.', details: { method, slack: code }, cause: e,
        });
      }
      if (INVALID.has(code)) return new BotError('upstream_invalid', `Slack rejected the message for ${method}: ${code}.`, { details: { method, slack: code }, cause: e });
      return new BotError('upstream_invalid', `Slack answered ${method} with ${code}.`, { details: { method, slack: code }, cause: e });
    }
    case WebErrorCode.HTTPError:
    case WebErrorCode.RequestError:
      return new BotError('upstream_unavailable', `Slack could not be reached for ${method}.`, { details: { method, status: err.statusCode }, cause: e });
    default:
      return new BotError('internal', `Calling Slack ${method} failed.`, { details: { method, cause: e instanceof Error ? e.message : String(e) }, cause: e });
  }
}

/** The Slack error code of a platform error, if that is what it is. */
export function platformCode(e: unknown): string | undefined {
  const details = isBotError(e) ? e.details : undefined;
  if (typeof details?.slack === 'string') return details.slack;
  const err = e as { code?: string; data?: { error?: string } };
  return err?.code === WebErrorCode.PlatformError ? err.data?.error : undefined;
}
