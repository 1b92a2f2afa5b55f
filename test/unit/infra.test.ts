import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bicepProblems, readmeVariables, settingNames, variablesRead, type Files } from './infra-support';

/** infra/ checked without a Bicep compiler: declarations, module wiring, and the app's environment. */
const ROOT = join(__dirname, '..', '..');
const read = (rel: string): string => readFileSync(join(ROOT, rel), 'utf8');

function infraFiles(): Files {
  const files: Files = new Map([['infra/main.bicep', read('infra/main.bicep')]]);
  for (const f of readdirSync(join(ROOT, 'infra/modules'))) files.set(`infra/modules/${f}`, read(`infra/modules/${f}`));
  return files;
}

/** Settings the platform's build reads, not the bot. */
const PLATFORM = ['SCM_DO_BUILD_DURING_DEPLOYMENT', 'NPM_CONFIG_OMIT'];

/** Variables of the README table the deployment leaves unset on purpose, and why. */
const NOT_SET: Record<string, string> = {
  HOST: 'App Service routes to PORT on every interface',
  SLACK_APP_TOKEN: 'Socket Mode is for hosts without a public URL; App Service has one',
  SLACK_API_URL: 'public Slack',
  MicrosoftAppPassword: 'UserAssignedMsi has no password (the bot refuses one)',
  MLOPS_TEAMS_LOCAL: 'never in production',
  AZURE_CLIENT_SECRET: 'the managed identity replaces it',
  AZURE_AUTHORITY_HOST: 'public cloud',
  IDENTITY_ENDPOINT: 'injected by App Service',
  IDENTITY_HEADER: 'injected by App Service',
  AZURE_RESOURCE_MANAGER_ENDPOINT: 'public cloud',
  AZURE_RESOURCE_MANAGER_AUDIENCE: 'public cloud',
  MICROSOFT_GRAPH_ENDPOINT: 'public cloud',
  MLOPS_REPLICA_ID: 'each App Service instance is named by its host name and process id',
  MLOPS_LEASE_TTL: 'the default suits production',
  MLOPS_EFFECT_LEASE: 'the default suits production',
};

/** Secrets: only ever Key Vault references. */
const SECRETS = ['DATABASE_URL', 'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'AZURE_DEVOPS_PAT', 'EVENTGRID_KEY', 'AZURE_DEVOPS_HOOK_PASSWORD', 'MLOPS_TOKEN_KEY', 'MLOPS_OAUTH_CLIENT_SECRET', 'MLOPS_CHART_KEY'];

interface EnvReport { problems: string[]; names: string[] }

/** Compares the app settings of the Bicep files with what the bot reads and the README documents. */
function environmentProblems(files: Files, appVariables: string[], documented: string[]): EnvReport {
  const problems: string[] = [];
  const main = files.get('infra/main.bicep') ?? '';
  const names = [...files.values()].flatMap((text) => settingNames(text));
  const secretNames = settingNames(main, 'secretSettings');
  for (const n of names) {
    if (!appVariables.includes(n) && !PLATFORM.includes(n)) problems.push(`app setting ${n} is read by nobody`);
  }
  for (const n of documented) {
    if (!names.includes(n) && !(n in NOT_SET)) problems.push(`${n} (README) is not set by the deployment`);
    if (names.includes(n) && n in NOT_SET) problems.push(`${n} is set although it should not be: ${NOT_SET[n]}`);
  }
  for (const n of SECRETS) {
    if (!secretNames.includes(n)) problems.push(`${n} is not a Key Vault reference`);
  }
  // Every occurrence outside the secret list is a plain value, even when the name is also a secret.
  const plain = [...names];
  for (const n of secretNames) plain.splice(plain.indexOf(n), 1);
  for (const n of plain.filter((x) => SECRETS.includes(x))) problems.push(`${n} is set in plain text`);
  return { problems, names };
}

const appVariables = variablesRead(['runtime-env.ts', 'account-link-env.ts'].map((f) => read(`src/config/${f}`)).join('\n'));
const documented = readmeVariables(read('README.md'));

describe('infra/ Bicep structure', () => {
  it('declares every name it uses, uses every param, and wires modules that exist with the params they declare', () => {
    expect(bicepProblems(infraFiles())).toEqual([]);
  });

  it('reports an undeclared name, an unused param, a missing module and a misspelt module param', () => {
    const files = infraFiles();
    const main = files.get('infra/main.bicep') as string;
    const mutate = (from: string | RegExp, to: string): string[] =>
      bicepProblems(new Map(files).set('infra/main.bicep', main.replace(from, to)));
    expect(mutate('value: slackBotToken', 'value: slackBotTokn')).toEqual(expect.arrayContaining([
      'infra/main.bicep: "slackBotTokn" is used but not declared',
      'infra/main.bicep: param slackBotToken is never used',
    ]));
    expect(mutate("'modules/bot.bicep'", "'modules/bots.bicep'")).toContain('infra/main.bicep: module bot points at missing infra/modules/bots.bicep');
    expect(mutate('    identityClientId: identity', '    identityClientID: identity')).toEqual(expect.arrayContaining([
      'infra/main.bicep: module bot passes identityClientID, which infra/modules/bot.bicep does not declare',
      'infra/main.bicep: module bot does not pass required identityClientId',
    ]));
    expect(mutate('uniqueString(', 'uniqeString(')).toContain('infra/main.bicep: "uniqeString" is used but not declared');
  });
});

describe('infra/ app settings', () => {
  it('scans the variables the bot reads and the README documents', () => {
    expect(appVariables).toEqual(expect.arrayContaining(['PORT', 'DATABASE_URL', 'MicrosoftAppType', 'EVENTGRID_KEY', 'MLOPS_TEAMS_LOCAL']));
    expect(documented.length).toBeGreaterThan(15);
    expect(documented.filter((n) => !appVariables.includes(n))).toEqual([]);
    expect(PLATFORM.filter((n) => appVariables.includes(n))).toEqual([]);
  });

  it('sets every variable the deployment owns, secrets through Key Vault, and nothing the bot does not read', () => {
    const { problems, names } = environmentProblems(infraFiles(), appVariables, documented);
    expect(problems).toEqual([]);
    expect(names).toEqual(expect.arrayContaining(['PORT', 'MLOPS_CONFIG', 'AZURE_CLIENT_ID', 'MicrosoftAppId', 'MicrosoftAppTenantId', 'AZURE_DEVOPS_HOOK_USER']));
  });

  it('fails on a misspelt, a plain-text or a forbidden setting', () => {
    const files = infraFiles();
    const main = files.get('infra/main.bicep') as string;
    const check = (from: string, to: string): string[] =>
      environmentProblems(new Map(files).set('infra/main.bicep', main.replace(from, to)), appVariables, documented).problems;
    expect(check("'EVENTGRID_KEY'", "'EVENT_GRID_KEY'")).toEqual(expect.arrayContaining([
      'app setting EVENT_GRID_KEY is read by nobody', 'EVENTGRID_KEY (README) is not set by the deployment',
    ]));
    expect(check("'MicrosoftAppTenantId'", "'MicrosoftAppTenantID'")).toContain('app setting MicrosoftAppTenantID is read by nobody');
    expect(check("name: 'LOG_LEVEL'", "name: 'MicrosoftAppPassword'")).toContain(
      'MicrosoftAppPassword is set although it should not be: UserAssignedMsi has no password (the bot refuses one)');
    const app = files.get('infra/modules/web-app.bicep') as string;
    const plain = environmentProblems(new Map(files).set('infra/modules/web-app.bicep',
      app.replace("name: 'NPM_CONFIG_OMIT'", "name: 'DATABASE_URL'")), appVariables, documented).problems;
    expect(plain).toContain('DATABASE_URL is set in plain text');
  });
});

describe('infra/ resource facts', () => {
  const files = infraFiles();
  const text = (rel: string): string => files.get(rel) as string;

  it('registers the bot with the user-assigned identity and the Teams channel', () => {
    const bot = text('infra/modules/bot.bicep');
    expect(bot).toMatch(/'Microsoft\.BotService\/botServices@\d{4}-\d{2}-\d{2}'/);
    expect(bot).toMatch(/msaAppType: 'UserAssignedMSI'/);
    expect(bot).toMatch(/msaAppMSIResourceId: identityResourceId/);
    expect(bot).toMatch(/channelName: 'MsTeamsChannel'/);
    expect(text('infra/main.bicep')).toMatch(/endpoint: 'https:\/\/\$\{appHost\}\/api\/messages'/);
    expect(text('infra/main.bicep')).toMatch(/name: 'MicrosoftAppType'\s+value: 'UserAssignedMsi'/);
  });

  it('hardens the web app and reads Key Vault with the identity', () => {
    const app = text('infra/modules/web-app.bicep');
    for (const re of [/httpsOnly: true/, /alwaysOn: true/, /healthCheckPath: '\/healthz'/, /keyVaultReferenceIdentity: identityResourceId/, /ftpsState: 'Disabled'/]) {
      expect(app).toMatch(re);
    }
    expect(text('infra/main.bicep')).toMatch(/param linuxFxVersion string = 'NODE\|22-lts'/);
    const kv = text('infra/modules/key-vault.bicep');
    expect(kv).toMatch(/enableRbacAuthorization: true/);
    expect(kv).toContain("'4633458b-17de-408a-b874-0445c86b69e6'"); // Key Vault Secrets User
    expect(kv).toContain('@Microsoft.KeyVault(SecretUri=${secrets[i].properties.secretUri})');
  });

  it('keeps PostgreSQL off the open internet', () => {
    const pg = text('infra/modules/postgres.bicep');
    expect(pg).not.toMatch(/255\.255\.255\.255/);
    expect(pg).toMatch(/startIpAddress: '0\.0\.0\.0'\s+endIpAddress: '0\.0\.0\.0'/);
    expect(text('infra/main.bicep')).toMatch(/databaseName = 'mlopsbot'/);
  });
});
