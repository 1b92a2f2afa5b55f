/** What the Slack surface needs from the runtime configuration (RuntimeConfig.slack, DESIGN §6). */

/** A `Secret` from src/config, or a plain string in tests and benchmarks. */
export type SecretValue = string | { reveal(): string };

export interface SlackSurfaceConfig {
  botToken: SecretValue;
  /** Required over HTTP; Slack does not sign Socket Mode deliveries. */
  signingSecret?: SecretValue;
  appToken?: SecretValue;
  mode: 'http' | 'socket';
  /** Web API base URL ending in `/` (default https://slack.com/api/; GovSlack and tests override it). */
  apiUrl?: string;
  /** The slash command as named in the manifest (default `/mlops`). */
  command?: string;
  /**
   * Web API retries per call (default 2). Cards are posted by the outbox, which has its own retry
   * and honours Retry-After, so the client must not sit on a call for the default 30 minutes.
   */
  webApiRetries?: number;
  /** Bound of one Web API call (default 10 s): a hung Slack must not hold a card, an alert or an answer. */
  timeoutMs?: number;
  /** How long a resolved email stays cached (default 6 h). */
  userCacheTtlMs?: number;
  /** Answers rendered and posted at once after the core is done (default 8; see limiter.ts). */
  deliveryConcurrency?: number;
  /** A slash command acknowledged but not finished (the process died) runs again after this (default 2 min). */
  commandReplayAfterMs?: number;
  /** Largest body accepted at /slack/events (default 256 KiB); read only once the signature headers check out. */
  bodyLimitBytes?: number;
  /** Delay between start-up attempts while Slack cannot be reached (default 30 s). */
  initRetryMs?: number;
}

export const DEFAULT_API_URL = 'https://slack.com/api/';
export const DEFAULT_COMMAND = '/mlops';
export const DEFAULT_WEB_API_TIMEOUT_MS = 10_000;

export const reveal = (v: SecretValue): string => (typeof v === 'string' ? v : v.reveal());
