import { card } from '../cards/views';
import { toBotError, type BotError, type ErrorCode } from '../errors';
import type { Logger } from '../ports';
import type { Outcome, OutcomeStatus } from './types';

/** Title and default remedy per code: the wording users see, in one place. */
const WORDING: Record<ErrorCode, { title: string; remedy: string; status: OutcomeStatus }> = {
  usage: { title: 'Check the command', remedy: 'Type `help <command>` for its usage and examples.', status: 'invalid' },
  unknown_command: { title: 'Unknown command', remedy: 'Type `help` to see the commands you can run.', status: 'invalid' },
  unknown_model: { title: 'Unknown model', remedy: 'Type `models` to list the models.', status: 'invalid' },
  unknown_env: { title: 'Unknown environment', remedy: 'Use one of the environments listed.', status: 'invalid' },
  unknown_version: { title: 'Unknown version', remedy: 'Type `model <name>` to list its versions.', status: 'invalid' },
  unknown_request: { title: 'Unknown request', remedy: 'Type `requests` to list promotion requests.', status: 'invalid' },
  not_found: { title: 'Not found', remedy: 'Check the name; the list command shows what exists.', status: 'not_found' },
  already_exists: { title: 'Already exists', remedy: 'Pick another name, or look at the one that exists.', status: 'conflict' },
  forbidden: { title: 'Not allowed', remedy: 'Ask an admin if you think you should have this right.', status: 'refused' },
  conflict: { title: 'Changed in the meantime', remedy: 'Look at the current state and try again if still needed.', status: 'conflict' },
  invalid_state: { title: 'Not possible now', remedy: 'Look at the current state of the request.', status: 'conflict' },
  guard_failed: { title: 'Guard failed', remedy: 'Promote a version that passes the guard.', status: 'failed' },
  config_invalid: { title: 'Configuration problem', remedy: 'Give the correlation id to the bot operator.', status: 'failed' },
  upstream_auth: { title: 'Access denied upstream', remedy: "Check the bot identity's permissions in Azure / Azure DevOps.", status: 'failed' },
  upstream_not_found: { title: 'Not found upstream', remedy: 'Check that it still exists in Azure / Azure DevOps.', status: 'not_found' },
  upstream_throttled: { title: 'Throttled upstream', remedy: 'Try again in a minute.', status: 'failed' },
  upstream_unavailable: { title: 'Service unavailable', remedy: 'Try again in a few minutes.', status: 'failed' },
  upstream_invalid: { title: 'Unexpected answer upstream', remedy: 'Give the correlation id to the bot operator.', status: 'failed' },
  timeout: { title: 'Timed out', remedy: 'Try again; the operation may still complete.', status: 'failed' },
  internal: { title: 'Something went wrong', remedy: 'Try again; if it keeps failing, give the correlation id to the bot operator.', status: 'failed' },
};

/** What people get wrong or ask for at the wrong time: expected, logged at info without a stack. */
const INPUT_CODES: readonly ErrorCode[] = [
  'usage', 'unknown_command', 'unknown_model', 'unknown_env', 'unknown_version', 'unknown_request', 'not_found', 'already_exists',
  'forbidden', 'conflict', 'invalid_state', 'guard_failed',
];

export function statusOf(code: ErrorCode): OutcomeStatus {
  return WORDING[code].status;
}

/**
 * The one place where failures become replies: every error becomes a private error card with the
 * remedy and the correlation id. Unknown errors are wrapped (`internal`) and logged with their
 * stack; users only ever see the coded message.
 */
export function errorOutcome(error: unknown, correlationId: string, log: Logger): Outcome {
  const e: BotError = toBotError(error);
  const wording = WORDING[e.code] ?? WORDING.internal;
  logError(e, error, log);
  return {
    status: wording.status,
    visibility: 'private',
    reply: card('error', {
      title: wording.title,
      message: e.message,
      remedy: e.remedy ?? wording.remedy,
      code: e.code,
      correlationId,
    }),
  };
}

function logError(e: BotError, original: unknown, log: Logger): void {
  const fields: Record<string, unknown> = { code: e.code, details: e.details };
  if (INPUT_CODES.includes(e.code)) {
    log.info(fields, e.message);
    return;
  }
  // A coded upstream failure is described by its code and message; only the unexpected needs a stack.
  const source = original instanceof Error ? original : e;
  const cause = e.cause instanceof Error ? e.cause.message : undefined;
  if (e.code === 'internal') {
    fields.err = { name: source.name, message: source.message, stack: source.stack };
    log.error(fields, 'unexpected error in command');
  } else {
    fields.err = { name: source.name, message: source.message, ...(cause ? { cause } : {}) };
    log.warn(fields, e.message);
  }
}
