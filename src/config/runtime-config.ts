import type { AccountLinkRuntime } from './account-link-env';
import type { Secret } from './secret';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type DatabaseConfig =
  | { kind: 'sqlite'; /** File path, or `:memory:`. */ path: string }
  | { kind: 'postgres'; /** The whole URL is secret: it usually carries the password. */ url: Secret };

export interface SlackRuntime {
  botToken: Secret;
  /** Absent only in Socket Mode, where Slack does not sign requests. */
  signingSecret?: Secret;
  appToken?: Secret;
  /** `socket` when SLACK_APP_TOKEN is set, `http` (`/slack/events`) otherwise. */
  mode: 'http' | 'socket';
  /** Web API base URL, always ending in `/`. */
  apiUrl: string;
}

export const TEAMS_APP_TYPES = ['MultiTenant', 'SingleTenant', 'UserAssignedMsi'] as const;
export type TeamsAppType = (typeof TEAMS_APP_TYPES)[number];

export interface TeamsRuntime {
  appId?: string;
  appPassword?: Secret;
  appType: TeamsAppType;
  tenantId?: string;
  /** No app id: Bot Framework auth is off, so the endpoint must stay on loopback. */
  anonymous: boolean;
  /**
   * MLOPS_TEAMS_LOCAL: with a config but no app id, run the anonymous endpoint anyway, for a client
   * on this machine (the Agents Playground). Without it such an installation keeps Teams off.
   */
  local?: boolean;
}

export interface AzureRuntime {
  tenantId?: string;
  clientId?: string;
  clientSecret?: Secret;
  authorityHost?: string;
  /** Managed identity endpoint (App Service / Container Apps), when the platform provides one. */
  identityEndpoint?: string;
  identityHeader?: Secret;
  /** ARM base URL without a trailing slash. */
  resourceManagerEndpoint: string;
  resourceManagerAudience: string;
  /** Token scope for ARM: the audience + `/.default`, whatever the endpoint is. */
  resourceManagerScope: string;
  /** Graph base URL without a trailing slash. */
  graphEndpoint: string;
}

export interface DevOpsRuntime {
  /** Organisation URL without a trailing slash. */
  orgUrl?: string;
  /** Absent: an Entra token is used. */
  pat?: Secret;
}

export interface WebhookRuntime {
  eventGridKey?: Secret;
  devopsHookUser?: string;
  devopsHookPassword?: Secret;
}

/** How replicas sharing one database divide the work (DESIGN §9.9). */
export interface ReplicaRuntime {
  /** MLOPS_REPLICA_ID: this process's name in leases and logs; absent: host name and process id. */
  id?: string;
  /** MLOPS_LEASE_TTL: how long leadership and a channel's delivery turn last without renewal. */
  leaseTtlMs: number;
  /** MLOPS_EFFECT_LEASE: how long a replica's claim on an outbox effect lasts (another retries it after a crash). */
  effectLeaseMs: number;
}

/** Charts in cards that clients load from a link (Teams): DESIGN 9.7. The links' base is MLOPS_PUBLIC_URL (accountLinks.publicUrl). */
export interface ChartsRuntime {
  /**
   * MLOPS_CHART_KEY: signs chart links, the same on every replica; absent: derived from the Teams app
   * password, else a key of this process alone (links then work only on this replica, until it restarts).
   */
  linkKey?: Secret;
}

/** Everything the process takes from its environment (DESIGN §6), typed and validated. */
export interface RuntimeConfig {
  port: number;
  /** Interface to bind; absent means all interfaces. */
  host?: string;
  /** MLOPS_CONFIG; absent selects the built-in demo config. */
  configPath?: string;
  logLevel: LogLevel;
  database: DatabaseConfig;
  /** Absent when Slack is not configured. */
  slack?: SlackRuntime;
  teams: TeamsRuntime;
  azure: AzureRuntime;
  devops: DevOpsRuntime;
  webhooks: WebhookRuntime;
  replicas: ReplicaRuntime;
  /** Account linking (DESIGN 9.6): MLOPS_PUBLIC_URL, MLOPS_OAUTH_CLIENT_ID/SECRET, MLOPS_TOKEN_KEY. */
  accountLinks: AccountLinkRuntime;
  charts: ChartsRuntime;
}
