import { accountLinkEnv } from './account-link-env';
import { IssueList } from './config-error';
import { EnvReader, GUID, type EnvSource } from './env-reader';
import {
  LOG_LEVELS, TEAMS_APP_TYPES, type AzureRuntime, type ChartsRuntime, type DatabaseConfig, type ReplicaRuntime, type RuntimeConfig,
  type SlackRuntime, type TeamsRuntime,
} from './runtime-config';
import { isSecret, Secret } from './secret';

export const DEFAULT_PORT = 3978;
export const DEFAULT_DATABASE_URL = 'sqlite:./data/mlops-bot.db';
export const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';
export const DEFAULT_ARM_ENDPOINT = 'https://management.azure.com';
export const DEFAULT_GRAPH_ENDPOINT = 'https://graph.microsoft.com';
/** A follower takes over within the lease plus a third of it (one renewal period): 20 s by default. */
export const DEFAULT_LEASE_TTL_MS = 15_000;
export const DEFAULT_EFFECT_LEASE_MS = 60_000;

/**
 * Reads the variables of DESIGN §6 from the given map (the composition root passes the process
 * environment; tests pass literals) and throws one ConfigError listing every problem.
 */
export function parseRuntimeEnv(env: EnvSource): RuntimeConfig {
  const r = new EnvReader(env, new IssueList());
  const config: RuntimeConfig = {
    port: r.int('PORT', DEFAULT_PORT, 0, 65535),
    host: r.text('HOST'),
    configPath: r.text('MLOPS_CONFIG'),
    logLevel: r.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    database: database(r),
    slack: slack(r),
    teams: teams(r),
    azure: azure(r),
    devops: { orgUrl: r.url('AZURE_DEVOPS_ORG_URL', undefined, false), pat: r.secret('AZURE_DEVOPS_PAT') },
    webhooks: {
      eventGridKey: r.secret('EVENTGRID_KEY'),
      devopsHookUser: r.text('AZURE_DEVOPS_HOOK_USER'),
      devopsHookPassword: r.secret('AZURE_DEVOPS_HOOK_PASSWORD'),
    },
    replicas: replicas(r),
    accountLinks: accountLinkEnv(r, r.text('MLOPS_CONFIG') !== undefined),
    charts: charts(r),
  };
  r.requireWith('AZURE_DEVOPS_HOOK_USER', ['AZURE_DEVOPS_HOOK_PASSWORD'], 'service hooks use basic auth');
  r.requireWith('AZURE_DEVOPS_HOOK_PASSWORD', ['AZURE_DEVOPS_HOOK_USER'], 'service hooks use basic auth');
  r.requireWith('AZURE_DEVOPS_PAT', ['AZURE_DEVOPS_ORG_URL'], 'the PAT belongs to an organisation');
  r.issues.throwIfAny('the environment variables');
  return config;
}

function database(r: EnvReader): DatabaseConfig {
  const url = r.text('DATABASE_URL') ?? DEFAULT_DATABASE_URL;
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (path) return { kind: 'sqlite', path };
  } else if (/^postgres(ql)?:\/\//.test(url)) {
    try {
      new URL(url);
      return { kind: 'postgres', url: new Secret(url) };
    } catch {
      // falls through to the issue below; the URL itself is not echoed since it may hold a password
    }
  }
  r.issues.add('DATABASE_URL', 'is neither sqlite:<path> nor a valid postgres:// URL.', `use ${DEFAULT_DATABASE_URL} or postgres://user:password@host:5432/db.`);
  return { kind: 'sqlite', path: DEFAULT_DATABASE_URL.slice('sqlite:'.length) };
}

/** MLOPS_CHART_KEY: the signing key of chart links (their base is MLOPS_PUBLIC_URL, read with account linking). */
function charts(r: EnvReader): ChartsRuntime {
  const linkKey = r.secret('MLOPS_CHART_KEY');
  if (linkKey && linkKey.reveal().length < 32) {
    r.issues.add('MLOPS_CHART_KEY', 'is shorter than 32 characters.', 'set MLOPS_CHART_KEY to a random string of at least 32 characters (e.g. openssl rand -base64 48), or unset it.');
  }
  return linkKey ? { linkKey } : {};
}

function replicas(r: EnvReader): ReplicaRuntime {
  const id = r.text('MLOPS_REPLICA_ID');
  if (id !== undefined && !/^[A-Za-z0-9._:-]{1,64}$/.test(id)) {
    r.issues.add('MLOPS_REPLICA_ID', 'may only hold letters, digits and . _ : - (at most 64).', 'set MLOPS_REPLICA_ID to a short name such as bot-1, or unset it.');
  }
  const leaseTtlMs = r.duration('MLOPS_LEASE_TTL', DEFAULT_LEASE_TTL_MS, 1000);
  const effectLeaseMs = r.duration('MLOPS_EFFECT_LEASE', DEFAULT_EFFECT_LEASE_MS, 1000);
  return { ...(id !== undefined ? { id } : {}), leaseTtlMs, effectLeaseMs };
}

function slack(r: EnvReader): SlackRuntime | undefined {
  const botToken = r.secret('SLACK_BOT_TOKEN');
  const signingSecret = r.secret('SLACK_SIGNING_SECRET');
  const appToken = r.secret('SLACK_APP_TOKEN');
  const apiUrl = r.url('SLACK_API_URL', DEFAULT_SLACK_API_URL, true) as string;
  if (!botToken) {
    const others = ['SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN'].filter((n) => r.text(n) !== undefined);
    if (others.length > 0) {
      r.issues.add('SLACK_BOT_TOKEN', `is missing while ${others.join(' and ')} ${others.length > 1 ? 'are' : 'is'} set.`, 'set SLACK_BOT_TOKEN (xoxb-…) from the Slack app\'s OAuth & Permissions page, or unset the other Slack variables.');
    }
    return undefined;
  }
  if (!botToken.reveal().startsWith('xoxb-')) {
    r.issues.add('SLACK_BOT_TOKEN', 'does not start with xoxb- (it is not a bot token).', 'copy the Bot User OAuth Token from the Slack app\'s OAuth & Permissions page.');
  }
  if (appToken && !appToken.reveal().startsWith('xapp-')) {
    r.issues.add('SLACK_APP_TOKEN', 'does not start with xapp- (it is not an app-level token).', 'create an app-level token with connections:write under Basic Information, or unset SLACK_APP_TOKEN to use HTTP.');
  }
  if (!appToken && !signingSecret) {
    r.issues.add('SLACK_SIGNING_SECRET', 'is missing: without it requests to /slack/events cannot be verified.', 'copy the Signing Secret from the Slack app\'s Basic Information page, or set SLACK_APP_TOKEN to use Socket Mode.');
  }
  return { botToken, signingSecret, appToken, mode: appToken ? 'socket' : 'http', apiUrl };
}

function teams(r: EnvReader): TeamsRuntime {
  const appId = r.text('MicrosoftAppId');
  const appPassword = r.secret('MicrosoftAppPassword');
  const appType = r.oneOf('MicrosoftAppType', TEAMS_APP_TYPES, 'MultiTenant');
  const tenantId = r.text('MicrosoftAppTenantId');
  const local = flag(r, 'MLOPS_TEAMS_LOCAL');
  if (!appId) {
    if (appPassword) r.issues.add('MicrosoftAppId', 'is missing while MicrosoftAppPassword is set.', 'set MicrosoftAppId to the bot\'s app registration id, or unset MicrosoftAppPassword.');
    return { appType, tenantId, anonymous: true, ...(local ? { local: true } : {}) };
  }
  if (!GUID.test(appId)) r.issues.add('MicrosoftAppId', `"${appId}" is not a GUID.`, 'use the Application (client) ID of the bot\'s Entra app registration.');
  if (appType !== 'MultiTenant' && !tenantId) {
    r.issues.add('MicrosoftAppTenantId', `is missing: MicrosoftAppType ${appType} needs the tenant.`, 'set MicrosoftAppTenantId to the Entra tenant id.');
  }
  if (appType === 'UserAssignedMsi' && appPassword) {
    r.issues.add('MicrosoftAppPassword', 'is set but UserAssignedMsi authenticates with the managed identity.', 'unset MicrosoftAppPassword or change MicrosoftAppType.');
  }
  if (appType !== 'UserAssignedMsi' && !appPassword) {
    r.issues.add('MicrosoftAppPassword', `is missing: MicrosoftAppType ${appType} authenticates with a client secret.`, 'set MicrosoftAppPassword, or use MicrosoftAppType=UserAssignedMsi with a managed identity.');
  }
  return { appId, appPassword, appType, tenantId, anonymous: false };
}

/** true/1/yes/on or false/0/no/off; unset is false. */
function flag(r: EnvReader, name: string): boolean {
  const v = r.text(name);
  if (v === undefined || /^(0|false|no|off)$/i.test(v)) return false;
  if (/^(1|true|yes|on)$/i.test(v)) return true;
  r.issues.add(name, `"${v}" is not true or false.`, `set ${name}=true or leave it unset.`);
  return false;
}

function azure(r: EnvReader): AzureRuntime {
  r.requireWith('AZURE_CLIENT_SECRET', ['AZURE_TENANT_ID', 'AZURE_CLIENT_ID'], 'a client secret belongs to an app registration in a tenant');
  const audience = (r.url('AZURE_RESOURCE_MANAGER_AUDIENCE', DEFAULT_ARM_ENDPOINT, false) as string);
  return {
    tenantId: r.text('AZURE_TENANT_ID'),
    clientId: r.text('AZURE_CLIENT_ID'),
    clientSecret: r.secret('AZURE_CLIENT_SECRET'),
    authorityHost: r.url('AZURE_AUTHORITY_HOST', undefined, false),
    identityEndpoint: r.url('IDENTITY_ENDPOINT', undefined, false),
    identityHeader: r.secret('IDENTITY_HEADER'),
    resourceManagerEndpoint: r.url('AZURE_RESOURCE_MANAGER_ENDPOINT', DEFAULT_ARM_ENDPOINT, false) as string,
    resourceManagerAudience: audience,
    resourceManagerScope: `${audience}/.default`,
    graphEndpoint: r.url('MICROSOFT_GRAPH_ENDPOINT', DEFAULT_GRAPH_ENDPOINT, false) as string,
  };
}

/**
 * Every secret value in the runtime config (and the password inside a database URL on its own), for
 * the log scrubber: a value that slips into a message is masked even where no key names it.
 */
export function runtimeSecrets(config: RuntimeConfig): string[] {
  const out = new Set<string>();
  const visit = (v: unknown): void => {
    if (isSecret(v)) out.add(v.reveal());
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  visit(config);
  if (config.database.kind === 'postgres') {
    const password = new URL(config.database.url.reveal()).password;
    if (password) {
      out.add(password);
      out.add(decodeURIComponent(password));
    }
  }
  return [...out].filter((s) => s.length > 0);
}
