/**
 * Coded errors: every failure the bot reports maps to one code from this closed list,
 * with a user-facing message and a remedy. The error sink turns them into an error card.
 */
export const ERROR_CODES = [
  'usage', // the input does not match the grammar (missing argument, bad flag)
  'unknown_command',
  'unknown_model',
  'unknown_env',
  'unknown_version',
  'unknown_request',
  'not_found', // a name the user typed that does not exist (a schedule, a subscription)
  'already_exists', // a name the user picked is taken, or the thing asked for is already so
  'forbidden', // the caller may not do this (deny by default)
  'conflict', // the state changed underneath (another approval, already decided)
  'invalid_state', // the request is not in a state that allows the action
  'guard_failed',
  'config_invalid',
  'upstream_auth', // 401/403 from Azure / Azure DevOps / Graph
  'upstream_not_found',
  'upstream_throttled',
  'upstream_unavailable',
  'upstream_invalid', // malformed answer from an upstream API
  'timeout',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class BotError extends Error {
  readonly code: ErrorCode;
  /** What the user should do about it; shown on the error card. */
  readonly remedy?: string;
  /** Extra structured data for logs (never secrets). */
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, opts: { remedy?: string; details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'BotError';
    this.code = code;
    this.remedy = opts.remedy;
    this.details = opts.details;
  }
}

export const isBotError = (e: unknown): e is BotError => e instanceof BotError;

/** Wraps anything thrown into a BotError; unknown errors become `internal`, never swallowed. */
export function toBotError(e: unknown): BotError {
  if (isBotError(e)) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new BotError('internal', 'Something went wrong inside the bot.', {
    remedy: 'Try again; if it keeps failing, give the correlation id to the bot operator.',
    details: { cause: message },
    cause: e,
  });
}
