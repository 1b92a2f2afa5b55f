/**
 * `sp create` in two steps: without `--confirm` it shows the plan and changes nothing; the card's
 * Confirm button (through `createBotCore().act`) or a typed `--confirm` creates it, with the
 * clicker's own permissions.
 */
import { createBotCore } from '../../src/core/bot-core';
import type { BotCore } from '../../src/core/surface';
import type { ActionButton } from '../../src/core/cards/views';
import type { ServicePrincipalPlan, ServicePrincipalResult } from '../../src/core/models';
import { FakeIdentityAdmin } from '../fakes/admin';
import { createBot, tableOf, USERS, type BotHarness } from '../support/bot-harness';

const SUB = '00000000-0000-0000-0000-000000000001';
const RG = `subscriptions/${SUB}/resourceGroups/rg-mlopsv2-0001prod`;

class RecordingIdentityAdmin extends FakeIdentityAdmin {
  plans: ServicePrincipalPlan[] = [];
  override async ensureServicePrincipal(plan: ServicePrincipalPlan): Promise<ServicePrincipalResult> {
    this.plans.push(plan);
    return super.ensureServicePrincipal(plan);
  }
}

let bot: BotHarness;
let admin: RecordingIdentityAdmin;
let core: BotCore;
let seq = 0;

beforeEach(async () => {
  admin = new RecordingIdentityAdmin();
  bot = await createBot({ identityAdmin: admin });
  core = createBotCore({
    settings: bot.settings, log: bot.log, commands: bot.commands,
    ports: {
      registry: bot.registry, releases: bot.releases, schedules: bot.schedules, identityAdmin: admin,
      directory: bot.directory, store: bot.store, chat: bot.chat, clock: bot.clock,
    },
  });
});
afterEach(() => bot.close());

const click = (userId: string, verb: string, data: Record<string, unknown>) =>
  core.act({ verb, data, caller: { id: userId, platform: 'slack', displayName: USERS[userId]?.name ?? userId }, channel: 'slack:C0OPS', correlationId: `click-${++seq}` });

const actionsOf = (o: { reply: { data: unknown } }): ActionButton[] => (o.reply.data as { actions?: ActionButton[] }).actions ?? [];

describe('sp create plan (no --confirm)', () => {
  it('shows names, role, scope and steps, with Confirm and Cancel, and changes nothing', async () => {
    const o = await bot.say('slack:U0ADMIN', 'sp create taxi-fare-regression prod');
    expect(o.status).toBe('ok');
    expect(o.reply.template).toBe('service-principal');
    expect(o).toSay('Create service principal for taxi-fare-regression in prod?');
    expect((o.reply.data as { facts: unknown[] }).facts).toEqual([
      { title: 'Application', value: 'Azure-ARM-Prod-taxi-fare-regression' },
      { title: 'Service connection', value: 'Azure-ARM-Prod-taxi-fare-regression' },
      { title: 'Role', value: 'Contributor' },
      { title: 'Scope', value: `/${RG}` },
      { title: 'Authentication', value: 'Workload identity federation (no secret exists)' },
    ]);
    expect(tableOf(o).slice(1).map((r) => [r[0], r[1]])).toEqual([
      ['Entra application Azure-ARM-Prod-taxi-fare-regression', 'will create'],
      ['Service principal', 'will create'],
      [`Contributor on /${RG}`, 'will create'],
      ['Azure DevOps environment prod', 'will create'],
      ['Service connection Azure-ARM-Prod-taxi-fare-regression (mlops-v2)', 'will create'],
      ['Federated credential', 'will create'],
    ]);
    expect(actionsOf(o)).toEqual([
      { verb: 'confirm-sp', title: 'Confirm', style: 'positive', data: { project: 'taxi-fare-regression', env: 'prod', role: 'Contributor', scope: `/${RG}` } },
      { verb: 'cancel-sp', title: 'Cancel', data: { project: 'taxi-fare-regression', env: 'prod' } },
    ]);
    expect(admin.plans).toEqual([]);
    // Read-only: the survey that resolved the role and found nothing existing yet.
    expect(bot.calls.filter((c) => c.port === 'identityAdmin').map((c) => c.method)).toEqual(['survey']);
    expect(bot.writes()).toEqual([]);
    expect(await bot.audit()).toEqual([]);
  });

  it('shows a subscription-wide scope, the role and a secret plainly before anything runs', async () => {
    const o = await bot.say('slack:U0ADMIN', 'sp create churn preprod --role Reader --scope subscription --secret');
    expect(o).toSay(`Reader on /subscriptions/${SUB}`);
    expect(o).toSay('Reader applies to the whole subscription.');
    expect(o).toSay('Client secret with an expiry, stored only in the service connection (never shown)');
    expect(tableOf(o).slice(-2).map((r) => r[0])).toEqual(['Client secret', 'Service connection Azure-ARM-Preprod-churn (mlops-v2)']);
    expect(actionsOf(o)[0].data).toEqual({ project: 'churn', env: 'preprod', role: 'Reader', scope: `/subscriptions/${SUB}`, secret: 'true' });
    expect(admin.plans).toEqual([]);
  });

  it('offers no Confirm button for a role a click could not carry, and says to type it', async () => {
    const o = await bot.say('slack:U0ADMIN', 'sp create taxi prod --role "Custom (ops)"');
    expect(actionsOf(o).map((a) => a.verb)).toEqual(['cancel-sp']);
    expect(o).toSay('type the same command with --confirm');
  });

  it('says what already exists, and "will create" only for the rest', async () => {
    await bot.say('slack:U0ADMIN', 'sp create taxi prod --confirm');
    admin.existing.delete('Azure-ARM-Prod-taxi/role_assignment');
    const o = await bot.say('slack:U0ADMIN', 'sp create taxi prod');
    expect(tableOf(o).slice(1, 4).map((r) => [r[0], r[1]])).toEqual([
      ['Entra application Azure-ARM-Prod-taxi', 'already exists'],
      ['Service principal', 'already exists'],
      [`Contributor on /${RG}`, 'will create'],
    ]);
  });

  it('resolves the role before anything exists: a bad --role is refused by the plan and by --confirm, creating nothing', async () => {
    for (const text of ['sp create x1 dev --role Bogus', 'sp create x1 dev --role Bogus --confirm']) {
      const o = await bot.say('slack:U0ADMIN', text);
      expect(o.status).toBe('invalid');
      expect(o).toSay("No role 'Bogus' exists at");
    }
    expect(admin.plans).toEqual([]);
    expect(bot.writes()).toEqual([]);
  });

  it('--confirm with a blocker creates nothing and says what is in the way', async () => {
    admin.survey = async (plan) => ({ roleDefinitionId: 'r', existing: [], blockers: [`Service connection ${plan.serviceConnectionName} already exists for application 1111, not for ${plan.applicationName}; rename or delete it in Azure DevOps.`] });
    const typed = await bot.say('slack:U0ADMIN', 'sp create taxi prod --confirm');
    expect(typed.status).toBe('conflict');
    expect(typed).toSay('Nothing was created: Service connection Azure-ARM-Prod-taxi already exists for application 1111');
    const plan = await bot.say('slack:U0ADMIN', 'sp create taxi prod');
    expect(plan).toSay('Cannot go ahead: Service connection Azure-ARM-Prod-taxi already exists');
    expect(actionsOf(plan).map((a) => a.verb)).toEqual(['cancel-sp']);
    expect(admin.plans).toEqual([]);
  });

  it('is refused for non-admins like the typed command', async () => {
    const o = await bot.say('slack:U0DAVE', 'sp create taxi prod');
    expect(o.status).toBe('refused');
    expect(admin.plans).toEqual([]);
  });
});

describe('Confirm and Cancel buttons', () => {
  it('Confirm creates exactly what the plan showed, audited as the clicker', async () => {
    const plan = await bot.say('slack:U0ADMIN', 'sp create churn preprod --role Reader --scope subscription --secret');
    const o = await click('slack:U0ADMIN', 'confirm-sp', actionsOf(plan)[0].data);
    expect(o.status).toBe('ok');
    expect(o.visibility).toBe('private');
    expect(o).toSay('Service principal for churn in preprod');
    expect(o).toSay('Everything is in place.');
    expect(admin.plans).toEqual([{
      project: 'churn', env: 'preprod', applicationName: 'Azure-ARM-Preprod-churn', serviceConnectionName: 'Azure-ARM-Preprod-churn',
      role: 'Reader', scope: `subscriptions/${SUB}`, auth: 'secret', roleDefinitionId: expect.stringContaining('Reader'),
    }]);
    expect(await bot.audit()).toMatchObject([{ action: 'sp.created', actor: 'slack:U0ADMIN', env: 'preprod', correlationId: 'click-1' }]);
  });

  it('Confirm with only project and env uses the defaults', async () => {
    const o = await click('slack:U0ADMIN', 'confirm-sp', { project: 'taxi', env: 'prod' });
    expect(o.status).toBe('ok');
    expect(admin.plans).toMatchObject([{ applicationName: 'Azure-ARM-Prod-taxi', role: 'Contributor', scope: RG, auth: 'federated' }]);
  });

  it('refuses a non-admin who clicks Confirm, and audits the refusal', async () => {
    const o = await click('slack:U0DAVE', 'confirm-sp', { project: 'taxi', env: 'prod', role: 'Contributor', scope: `/${RG}` });
    expect(o.status).toBe('refused');
    expect(admin.plans).toEqual([]);
    expect(await bot.audit()).toMatchObject([{ action: 'command.refused', actor: 'slack:U0DAVE', detail: { command: 'sp create', reason: 'needs admin' } }]);
  });

  it('refuses tampered data as an unknown button, calling nothing', async () => {
    const o = await click('slack:U0ADMIN', 'confirm-sp', { project: 'taxi prod --scope subscription', env: 'prod' });
    expect(o.status).toBe('invalid');
    expect(o).toSay('Unknown button');
    expect(admin.plans).toEqual([]);
    expect(await bot.audit()).toEqual([]);
  });

  it('Cancel only says so', async () => {
    const o = await click('slack:U0ADMIN', 'cancel-sp', { project: 'taxi', env: 'prod' });
    expect(o).toMatchObject({ status: 'ok', visibility: 'private', reply: { template: 'notice' } });
    expect(o).toSay('No service principal was created for taxi in prod. Nothing changed.');
    const odd = await click('slack:U0DAVE', 'cancel-sp', { project: '"><x', env: 1 });
    expect(odd).toSay('No service principal was created. Nothing changed.');
    expect(admin.plans).toEqual([]);
    expect(await bot.audit()).toEqual([]);
  });
});

describe('typed --confirm', () => {
  it('creates at once, as scripts and the CLI use it', async () => {
    const o = await bot.say('slack:U0ADMIN', 'sp create taxi prod --confirm');
    expect(o.status).toBe('ok');
    expect(o.visibility).toBe('public');
    expect(o).toShowRow(['Entra application Azure-ARM-Prod-taxi', 'created', '']);
    expect((o.reply.data as { actions?: unknown[] }).actions).toEqual([]);
    expect(admin.plans).toHaveLength(1);
  });

  it('shows in help', async () => {
    const o = await bot.say('slack:U0ADMIN', 'help sp create');
    expect(o).toSay(/\[--confirm\]/);
  });
});
