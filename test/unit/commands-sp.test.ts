/** Transcripts of `sp create` through the real dispatcher, a fake identity admin and a SQLite store. */
import type { ServicePrincipalPlan, ServicePrincipalResult } from '../../src/core/models';
import { FakeIdentityAdmin } from '../fakes/admin';
import { createBot, tableOf, type BotHarness } from '../support/bot-harness';

const SUB = '00000000-0000-0000-0000-000000000001';

/** Fails the role assignment (and what depends on nothing else goes on) until `heal()`. */
class FlakyIdentityAdmin extends FakeIdentityAdmin {
  plans: ServicePrincipalPlan[] = [];
  private broken = true;
  heal(): void { this.broken = false; }
  override async ensureServicePrincipal(plan: ServicePrincipalPlan): Promise<ServicePrincipalResult> {
    this.plans.push(plan);
    const ok = await super.ensureServicePrincipal(plan);
    if (!this.broken) return ok;
    this.existing.delete(`${plan.applicationName}/role_assignment`);
    this.existing.delete(`${plan.applicationName}/service_connection`);
    return {
      ...ok,
      complete: false,
      steps: [
        ok.steps[0], ok.steps[1],
        { step: 'role_assignment', state: 'failed', detail: 'Azure Resource Manager HTTP 403 AuthorizationFailed: no roleAssignments/write' },
        { step: 'devops_environment', state: 'created' },
        { step: 'service_connection', state: 'created' },
        { step: 'credential', state: 'skipped', detail: 'not attempted: Azure DevOps returned no issuer' },
      ],
    };
  }
}

let bot: BotHarness;
let admin: FlakyIdentityAdmin;

beforeEach(async () => {
  admin = new FlakyIdentityAdmin();
  admin.heal();
  bot = await createBot({ identityAdmin: admin });
});
afterEach(() => bot.close());

describe('sp create', () => {
  it('plans the mlops-v2 names, Contributor on the resource group, federation by default', async () => {
    const o = await bot.say('slack:U0ADMIN', 'sp create taxi-fare-regression prod --confirm');
    expect(o.status).toBe('ok');
    expect(o.reply.template).toBe('service-principal');
    expect(admin.plans).toEqual([{
      project: 'taxi-fare-regression', env: 'prod',
      applicationName: 'Azure-ARM-Prod-taxi-fare-regression', serviceConnectionName: 'Azure-ARM-Prod-taxi-fare-regression',
      role: 'Contributor', scope: `subscriptions/${SUB}/resourceGroups/rg-mlopsv2-0001prod`, auth: 'federated',
      roleDefinitionId: expect.stringContaining('Contributor'),
    }]);
    expect(o).toShowRow(['Entra application Azure-ARM-Prod-taxi-fare-regression', 'created', '']);
    expect(o).toShowRow([`Contributor on /subscriptions/${SUB}/resourceGroups/rg-mlopsv2-0001prod`, 'created', '']);
    expect(o).toShowRow(['Service connection Azure-ARM-Prod-taxi-fare-regression (mlops-v2)', 'created', '']);
    expect(o).toSay('Workload identity federation (no secret exists)');
    expect(o).toSay('Everything is in place.');
    expect(await bot.audit()).toMatchObject([{
      action: 'sp.created', actor: 'slack:U0ADMIN', env: 'prod',
      detail: { plan: { applicationName: 'Azure-ARM-Prod-taxi-fare-regression' }, appId: 'app-Azure-ARM-Prod-taxi-fare-regression' },
    }]);
  });

  it('says everything existed on a second run', async () => {
    await bot.say('slack:U0ADMIN', 'sp create taxi-fare-regression prod --confirm');
    const o = await bot.say('slack:U0ADMIN', 'sp create taxi-fare-regression prod --confirm');
    expect(o).toSay('Everything already existed; nothing was changed.');
    expect(tableOf(o).slice(1).map((r) => r[1])).toEqual(['already existed', 'already existed', 'already existed', 'already existed']);
  });

  it('takes --role, --scope (shown on the card) and --secret', async () => {
    const o = await bot.say('slack:U0ADMIN', `sp create churn preprod --role Reader --scope /subscriptions/${SUB}/resourceGroups/rg-shared/ --secret --confirm`);
    expect(admin.plans[0]).toMatchObject({
      applicationName: 'Azure-ARM-Preprod-churn', serviceConnectionName: 'Azure-ARM-Preprod-churn',
      role: 'Reader', scope: `subscriptions/${SUB}/resourceGroups/rg-shared`, auth: 'secret',
    });
    expect((o.reply.data as { facts: unknown[] }).facts).toContainEqual({ title: 'Scope', value: `/subscriptions/${SUB}/resourceGroups/rg-shared` });
    expect(o).toSay('Client secret with an expiry, stored only in the service connection (never shown)');
    await bot.say('slack:U0ADMIN', 'sp create churn dev --scope subscription --confirm');
    expect(admin.plans[1].scope).toBe(`subscriptions/${SUB}`);
  });

  it.each([
    ['a scope outside a subscription', 'sp create taxi prod --scope /providers/Microsoft.Management/managementGroups/mg', '--scope must be an Azure resource path under a subscription'],
    ['an unknown environment', 'sp create taxi staging', "No environment 'staging'"],
    ['a project name with spaces', 'sp create "taxi fare" prod', "'taxi fare' is not a usable project name"],
  ])('refuses %s and calls nothing', async (_what, text, says) => {
    const o = await bot.say('slack:U0ADMIN', text);
    expect(o.status).toBe('invalid');
    expect(o).toSay(says);
    expect(bot.writes()).toEqual([]);
  });

  it('two projects in one environment each get their own connection', async () => {
    await bot.say('slack:U0ADMIN', 'sp create taxi prod --confirm');
    const second = await bot.say('slack:U0ADMIN', 'sp create churn prod --confirm');
    expect(second.status).toBe('ok');
    expect(admin.plans.map((p) => p.serviceConnectionName)).toEqual(['Azure-ARM-Prod-taxi', 'Azure-ARM-Prod-churn']);
  });

  it('refuses non-admins, auditing the refusal', async () => {
    const o = await bot.say('slack:U0ALICE', 'sp create taxi prod');
    expect(o.status).toBe('refused');
    expect(admin.plans).toEqual([]);
    expect(await bot.audit()).toMatchObject([{ action: 'command.refused', actor: 'slack:U0ALICE', detail: { command: 'sp create', reason: 'needs admin' } }]);
  });

  it('reports a partial failure exactly, audits it, and a retry completes it', async () => {
    const broken = new FlakyIdentityAdmin();
    const b = await createBot({ identityAdmin: broken });
    try {
      const o = await b.say('slack:U0ADMIN', 'sp create taxi prod --confirm');
      expect(o.status).toBe('failed');
      expect(o).toSay('Service principal for taxi in prod: incomplete');
      expect(o).toShowRow([`Contributor on /subscriptions/${SUB}/resourceGroups/rg-mlopsv2-0001prod`, 'FAILED', 'Azure Resource Manager HTTP 403 AuthorizationFailed: no roleAssignments/write']);
      expect(o).toShowRow(['Federated credential', 'not attempted', 'not attempted: Azure DevOps returned no issuer']);
      expect(o).toSay(
        'Partly done. Exists now: Entra application Azure-ARM-Prod-taxi; Service principal; Azure DevOps environment prod; Service connection Azure-ARM-Prod-taxi (mlops-v2). ' +
        `Did not happen: Contributor on /subscriptions/${SUB}/resourceGroups/rg-mlopsv2-0001prod; Federated credential. ` +
        'Run the same command again to complete it: what exists is found, not created twice.',
      );
      expect((await b.audit())[0]).toMatchObject({ action: 'sp.partial', detail: { steps: expect.arrayContaining([{ step: 'role_assignment', state: 'failed', detail: expect.any(String) }]) } });
      broken.heal();
      const retry = await b.say('slack:U0ADMIN', 'sp create taxi prod --confirm');
      expect(retry.status).toBe('ok');
      expect(retry).toShowRow(['Entra application Azure-ARM-Prod-taxi', 'already existed', '']);
      expect(retry).toShowRow([`Contributor on /subscriptions/${SUB}/resourceGroups/rg-mlopsv2-0001prod`, 'created', '']);
      expect((await b.audit()).map((a) => a.action)).toEqual(['sp.created', 'sp.partial']);
    } finally {
      await b.close();
    }
  });

  it('audits an adapter that throws and shows the error card', async () => {
    admin.ensureServicePrincipal = async () => { throw new Error('graph unreachable'); };
    const o = await bot.say('slack:U0ADMIN', 'sp create taxi prod --confirm');
    expect(o.status).toBe('failed');
    expect(o.reply.template).toBe('error');
    expect((await bot.audit())[0]).toMatchObject({ action: 'sp.failed', detail: { error: 'graph unreachable' } });
  });
});
