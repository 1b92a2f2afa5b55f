/** Settings of the Azure ML adapters, all passed in by the composition root. */
import type { Logger } from '../../core/ports';
import type { EnvironmentSettings } from '../../core/settings';

export interface ArmRetrySettings {
  /** Retries after the first attempt (429, 503, 5xx, network errors). */
  maxRetries: number;
  retryDelayMs: number;
  maxRetryDelayMs: number;
  /** A Retry-After longer than this is not waited for: the call fails as throttled instead. */
  maxRetryAfterMs: number;
}

export interface AzureMlOptions {
  environments: EnvironmentSettings[];
  /** ARM base URL (sovereign clouds, the emulator). */
  armEndpoint?: string;
  /** Audience of ARM tokens; stays the public ARM one when only the endpoint is overridden. */
  armAudience?: string;
  /** PEM of a private CA to trust (emulator, test fakes). */
  ca?: string;
  retry?: Partial<ArmRetrySettings>;
  /** Bound of one HTTP attempt. */
  timeoutMs?: number;
  /** Poll interval of long-running operations (schedules). */
  lroPollIntervalMs?: number;
  /** Longest wait for one long-running operation (online endpoint traffic); below the outbox lease. */
  lroTimeoutMs?: number;
  /** Pages of jobs read at most for one `listJobs`. */
  maxJobPages?: number;
  log: Logger;
}

export const DEFAULT_ARM_ENDPOINT = 'https://management.azure.com';

export const DEFAULT_ARM_RETRY: ArmRetrySettings = {
  maxRetries: 3,
  retryDelayMs: 800,
  maxRetryDelayMs: 10_000,
  maxRetryAfterMs: 30_000,
};

export const DEFAULT_ARM_TIMEOUT_MS = 30_000;

/** Least privilege that covers what the adapters read and write in a workspace. */
export const ML_ROLE_HINT = 'AzureML Data Scientist (or Contributor)';
