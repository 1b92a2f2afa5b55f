/** Settings of the Azure DevOps adapter, all passed in by the composition root. */
import type { Logger } from '../../core/ports';
import type { EnvironmentSettings, ModelRule } from '../../core/settings';

/** A PAT, or a provider of Entra tokens (scope `499b84ac-…/.default`) that caches and refreshes them. */
export type DevOpsAuth = { pat: string } | { tokenProvider: () => Promise<string> };

export interface DevOpsRetrySettings {
  /** Retries after the first attempt. Calls that create things retry only on 429 (nothing happened). */
  maxRetries: number;
  retryDelayMs: number;
  maxRetryDelayMs: number;
  /** A Retry-After longer than this is not waited for: the call fails as throttled. */
  maxRetryAfterMs: number;
}

export interface DevOpsOptions {
  /** https://dev.azure.com/{org} or an Azure DevOps Server collection URL. */
  orgUrl: string;
  project: string;
  auth: DevOpsAuth;
  environments: EnvironmentSettings[];
  /** Model rules whose `release` overrides an environment's for the models they match. */
  models?: ModelRule[];
  log: Logger;
  /** Bound of one HTTP attempt. */
  timeoutMs?: number;
  retry?: Partial<DevOpsRetrySettings>;
  /** Recent releases/runs searched for one already started for a request. */
  idempotencyWindow?: number;
}

export const DEFAULT_DEVOPS_RETRY: DevOpsRetrySettings = {
  maxRetries: 3, retryDelayMs: 500, maxRetryDelayMs: 8000, maxRetryAfterMs: 30_000,
};

export const DEFAULT_DEVOPS_TIMEOUT_MS = 30_000;

/** What the identity needs, named in auth errors. */
export const DEVOPS_PERMISSION_HINT =
  'the PAT scopes "Release (read, write, execute & manage)" and "Build (read & execute)", or the bot identity\'s membership ' +
  'in the organization with rights to create releases, queue pipelines and approve deployments in project';

/** What the release and pipeline helpers share. */
export interface AdoDeps {
  project: string;
  retry: DevOpsRetrySettings;
  log: Logger;
  idempotencyWindow: number;
}
