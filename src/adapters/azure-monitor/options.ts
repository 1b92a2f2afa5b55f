/** Settings of the Azure Monitor adapter, all passed in by the composition root. */
import type { Logger } from '../../core/ports';
import type { EnvironmentSettings } from '../../core/settings';

export interface AzureMonitorOptions {
  environments: EnvironmentSettings[];
  /** ARM base URL (sovereign clouds, the emulator); metrics are an ARM resource provider. */
  armEndpoint?: string;
  /** Audience of ARM tokens; stays the public ARM one when only the endpoint is overridden. */
  armAudience?: string;
  /** PEM of a private CA to trust (emulator, test fakes). */
  ca?: string;
  /** Retries after the first attempt (429, 503, 5xx, network errors). */
  maxRetries?: number;
  retryDelayMs?: number;
  /** Bound of one HTTP attempt. */
  timeoutMs?: number;
  /** Bound of one whole read (both queries, every retry): a rollout step never waits longer. */
  readTimeoutMs?: number;
  log: Logger;
}

/** The Metrics_List api-version of azure-rest-api-specs `monitor/.../Microsoft.Insights/stable/2023-10-01/metrics_API.json`. */
export const METRICS_API_VERSION = '2023-10-01';

/** Least privilege that lets the bot read platform metrics of the online endpoints. */
export const MONITOR_ROLE_HINT = 'Monitoring Reader';

export const MONITOR_DEFAULTS = { maxRetries: 2, retryDelayMs: 800, timeoutMs: 20_000, readTimeoutMs: 45_000 };
