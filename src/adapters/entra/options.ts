/** Settings of the Entra / role-assignment / service-connection adapter, all passed in by the composition root. */
import type { TokenCredential } from '@azure/identity';
import type { Logger } from '../../core/ports';
import type { DevOpsAuth } from '../azure-devops/options';

export interface EntraIdentityAdminOptions {
  /** Microsoft Graph base URL without the version (`https://graph.microsoft.com`, the emulator). */
  graphEndpoint: string;
  /** A bearer token for a scope; asked for `<graphEndpoint>/.default`. */
  getToken(scope: string): Promise<string>;
  /** ARM base URL and token audience (role assignments). */
  armEndpoint: string;
  armAudience: string;
  credential: TokenCredential;
  /** PEM of a private CA to trust (emulator, test fakes) for Graph and ARM. */
  ca?: string;
  devops: {
    orgUrl: string;
    project: string;
    auth: DevOpsAuth;
    /** Project id for the service connection's project reference; looked up when absent. */
    projectId?: string;
  };
  /** Entra tenant of the service principals (the connection's `tenantid`). */
  tenantId: string;
  /** Display name of a subscription for the service connection (default: its id). */
  subscriptionNameOf?(subscriptionId: string): Promise<string> | string;
  log: Logger;
  /** Waits before retrying reads and writes that fail while new objects replicate (default 2 s, 5 s, 10 s). */
  replicationDelaysMs?: number[];
  /** Lifetime of a client secret made with `--secret` (default 180 days). */
  secretLifetimeDays?: number;
  /** Bound of one HTTP attempt (default 30 s). */
  timeoutMs?: number;
  now?(): Date;
}

export const DEFAULT_REPLICATION_DELAYS_MS = [2000, 5000, 10_000];
export const DEFAULT_SECRET_LIFETIME_DAYS = 180;
export const DEFAULT_TIMEOUT_MS = 30_000;
