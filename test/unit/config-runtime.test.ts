import { inspect } from 'node:util';
import { ConfigError, parseRuntimeEnv, runtimeSecrets, Secret } from '../../src/config';

const APP_ID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';

function issuesOf(env: Record<string, string | undefined>): string[] {
  try {
    parseRuntimeEnv(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).issues.map((i) => `${i.path}: ${i.problem}`);
  }
  throw new Error('expected a ConfigError');
}

describe('parseRuntimeEnv', () => {
  it('gives the documented defaults for an empty environment', () => {
    const c = parseRuntimeEnv({});
    expect(c.port).toBe(3978);
    expect(c.configPath).toBeUndefined();
    expect(c.logLevel).toBe('info');
    expect(c.database).toEqual({ kind: 'sqlite', path: './data/mlops-bot.db' });
    expect(c.slack).toBeUndefined();
    expect(c.teams).toEqual({ appType: 'MultiTenant', tenantId: undefined, anonymous: true });
    expect(c.azure).toMatchObject({
      resourceManagerEndpoint: 'https://management.azure.com',
      resourceManagerAudience: 'https://management.azure.com',
      resourceManagerScope: 'https://management.azure.com/.default',
      graphEndpoint: 'https://graph.microsoft.com',
    });
    expect(c.devops).toEqual({ orgUrl: undefined, pat: undefined });
    expect(c.replicas).toEqual({ leaseTtlMs: 15_000, effectLeaseMs: 60_000 });
  });

  it('reads how replicas share the work, naming the setting when a value is wrong', () => {
    expect(parseRuntimeEnv({ MLOPS_REPLICA_ID: 'bot-2', MLOPS_LEASE_TTL: '3s', MLOPS_EFFECT_LEASE: '1m30s' }).replicas)
      .toEqual({ id: 'bot-2', leaseTtlMs: 3000, effectLeaseMs: 90_000 });
    expect(issuesOf({ MLOPS_LEASE_TTL: '15', MLOPS_EFFECT_LEASE: '0', MLOPS_REPLICA_ID: 'bot 2' })).toEqual([
      'MLOPS_REPLICA_ID: may only hold letters, digits and . _ : - (at most 64).',
      'MLOPS_LEASE_TTL: "15" is not a duration of at least 1s.',
      'MLOPS_EFFECT_LEASE: "0" is not a duration of at least 1s.',
    ]);
  });

  it('reads where chart links point and what signs them, refusing a short key', () => {
    expect(parseRuntimeEnv({}).charts).toEqual({});
    const c = parseRuntimeEnv({ MLOPS_PUBLIC_URL: 'https://bot.contoso.com', MLOPS_CHART_KEY: 'k'.repeat(40) });
    expect(c.accountLinks.publicUrl).toBe('https://bot.contoso.com');
    expect(c.charts.linkKey?.reveal()).toBe('k'.repeat(40));
    expect(runtimeSecrets(c)).toContain('k'.repeat(40));
    expect(issuesOf({ MLOPS_CHART_KEY: 'short' })).toEqual(['MLOPS_CHART_KEY: is shorter than 32 characters.']);
  });

  it('reads a full production environment', () => {
    const c = parseRuntimeEnv({
      PORT: '8080', HOST: '0.0.0.0', MLOPS_CONFIG: '/etc/mlops.yaml', LOG_LEVEL: 'DEBUG',
      DATABASE_URL: 'postgres://bot:pw%40rd@db:5432/mlops',
      SLACK_BOT_TOKEN: 'xoxb-1-2', SLACK_SIGNING_SECRET: 'shh', SLACK_API_URL: 'http://127.0.0.1:9/api',
      MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'teams-pw', MicrosoftAppType: 'singletenant', MicrosoftAppTenantId: 'contoso.onmicrosoft.com',
      AZURE_TENANT_ID: 't', AZURE_CLIENT_ID: 'c', AZURE_CLIENT_SECRET: 'azure-secret',
      AZURE_RESOURCE_MANAGER_ENDPOINT: 'https://127.0.0.1:8443/', MICROSOFT_GRAPH_ENDPOINT: 'https://127.0.0.1:8443/graph/',
      AZURE_DEVOPS_ORG_URL: 'https://dev.azure.com/contoso/', AZURE_DEVOPS_PAT: 'pat-value',
      EVENTGRID_KEY: 'eg-key', AZURE_DEVOPS_HOOK_USER: 'hook', AZURE_DEVOPS_HOOK_PASSWORD: 'hook-pw',
    });
    expect(c).toMatchObject({ port: 8080, host: '0.0.0.0', configPath: '/etc/mlops.yaml', logLevel: 'debug' });
    expect(c.database.kind).toBe('postgres');
    expect(c.slack).toMatchObject({ mode: 'http', apiUrl: 'http://127.0.0.1:9/api/' });
    expect(c.slack?.signingSecret?.reveal()).toBe('shh');
    expect(c.teams).toMatchObject({ appId: APP_ID, appType: 'SingleTenant', tenantId: 'contoso.onmicrosoft.com', anonymous: false });
    // A test endpoint does not change the audience tokens are asked for.
    expect(c.azure.resourceManagerEndpoint).toBe('https://127.0.0.1:8443');
    expect(c.azure.resourceManagerScope).toBe('https://management.azure.com/.default');
    expect(c.azure.graphEndpoint).toBe('https://127.0.0.1:8443/graph');
    expect(c.devops.orgUrl).toBe('https://dev.azure.com/contoso');
    expect(runtimeSecrets(c).sort()).toEqual(
      ['azure-secret', 'eg-key', 'hook-pw', 'pat-value', 'postgres://bot:pw%40rd@db:5432/mlops', 'pw%40rd', 'pw@rd', 'shh', 'teams-pw', 'xoxb-1-2'].sort());
  });

  it('derives the ARM scope from an overridden audience and selects Socket Mode by app token', () => {
    const c = parseRuntimeEnv({ AZURE_RESOURCE_MANAGER_AUDIENCE: 'https://management.usgovcloudapi.net/', SLACK_BOT_TOKEN: 'xoxb-a', SLACK_APP_TOKEN: 'xapp-b' });
    expect(c.azure.resourceManagerScope).toBe('https://management.usgovcloudapi.net/.default');
    expect(c.slack).toMatchObject({ mode: 'socket', signingSecret: undefined });
  });

  it('treats empty values as unset', () => {
    expect(parseRuntimeEnv({ PORT: '', SLACK_BOT_TOKEN: ' ', MLOPS_CONFIG: '' })).toMatchObject({ port: 3978, slack: undefined, configPath: undefined });
  });

  it('reports every problem together, naming the variable', () => {
    const issues = issuesOf({
      PORT: '70000', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x', SLACK_BOT_TOKEN: 'xoxp-user',
      MicrosoftAppId: 'not-a-guid', MicrosoftAppType: 'UserAssignedMsi', MicrosoftAppPassword: 'p',
      AZURE_CLIENT_SECRET: 's', AZURE_RESOURCE_MANAGER_ENDPOINT: 'ftp://arm', MICROSOFT_GRAPH_ENDPOINT: 'graph',
      AZURE_DEVOPS_HOOK_USER: 'u', AZURE_DEVOPS_PAT: 'pat',
    });
    expect(issues).toEqual(expect.arrayContaining([
      'PORT: "70000" is not a whole number between 0 and 65535.',
      'LOG_LEVEL: "loud" is not one of fatal, error, warn, info, debug, trace, silent.',
      'DATABASE_URL: is neither sqlite:<path> nor a valid postgres:// URL.',
      'SLACK_BOT_TOKEN: does not start with xoxb- (it is not a bot token).',
      'SLACK_SIGNING_SECRET: is missing: without it requests to /slack/events cannot be verified.',
      'MicrosoftAppId: "not-a-guid" is not a GUID.',
      'MicrosoftAppTenantId: is missing: MicrosoftAppType UserAssignedMsi needs the tenant.',
      'MicrosoftAppPassword: is set but UserAssignedMsi authenticates with the managed identity.',
      'AZURE_TENANT_ID: is missing while AZURE_CLIENT_SECRET is set (a client secret belongs to an app registration in a tenant).',
      'AZURE_CLIENT_ID: is missing while AZURE_CLIENT_SECRET is set (a client secret belongs to an app registration in a tenant).',
      'AZURE_RESOURCE_MANAGER_ENDPOINT: "ftp://arm" uses ftp: but only http and https are supported.',
      'MICROSOFT_GRAPH_ENDPOINT: "graph" is not a URL.',
      'AZURE_DEVOPS_HOOK_PASSWORD: is missing while AZURE_DEVOPS_HOOK_USER is set (service hooks use basic auth).',
      'AZURE_DEVOPS_ORG_URL: is missing while AZURE_DEVOPS_PAT is set (the PAT belongs to an organisation).',
    ]));
    expect(issues).toHaveLength(14);
  });

  it('refuses half-configured Slack and Teams', () => {
    expect(issuesOf({ SLACK_SIGNING_SECRET: 's', SLACK_APP_TOKEN: 'xapp-1' })).toEqual(['SLACK_BOT_TOKEN: is missing while SLACK_SIGNING_SECRET and SLACK_APP_TOKEN are set.']);
    expect(issuesOf({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xoxb-2' })).toEqual(['SLACK_APP_TOKEN: does not start with xapp- (it is not an app-level token).']);
    expect(issuesOf({ MicrosoftAppPassword: 'p' })).toEqual(['MicrosoftAppId: is missing while MicrosoftAppPassword is set.']);
    expect(issuesOf({ MicrosoftAppId: APP_ID })).toEqual(['MicrosoftAppPassword: is missing: MicrosoftAppType MultiTenant authenticates with a client secret.']);
  });

  it('never prints a secret, however the config is turned into text', () => {
    const c = parseRuntimeEnv({ SLACK_BOT_TOKEN: 'xoxb-SUPERSECRET', SLACK_SIGNING_SECRET: 'SIGNSECRET', DATABASE_URL: 'postgres://u:DBPASSWORD@h/db' });
    const renderings = [JSON.stringify(c), inspect(c, { depth: 10 }), `${c.slack?.botToken}`, String(c.slack?.signingSecret)];
    for (const text of renderings) expect(text).not.toMatch(/SUPERSECRET|SIGNSECRET|DBPASSWORD/);
    expect(JSON.stringify(c)).toContain('[redacted]');
    expect(new Secret('x').reveal()).toBe('x');
  });

  it('does not echo a malformed database URL, which may hold a password', () => {
    const issues = issuesOf({ DATABASE_URL: 'postgres://u:HIDDEN@[bad' });
    expect(issues.join()).not.toContain('HIDDEN');
  });
});
