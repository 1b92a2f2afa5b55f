/**
 * Admin actions and refusals through the real dispatcher: each audit entry is stored together
 * with its posts to the audit channels of the environment it concerns (all of them when none).
 */
import { AUDIT_POST_EFFECT, AUDIT_REFUSALS_EFFECT, type AuditPostPayload, type AuditRefusalsPayload } from '../../src/core/audit/fan-out';
import { FakeSchedules } from '../fakes/admin';
import { createBot, type BotHarness } from '../support/bot-harness';
import { auditSettings } from './audit-support';

let bot: BotHarness;

beforeEach(async () => {
  const settings = auditSettings();
  settings.environments.find((e) => e.name === 'prod')!.schedulers = ['slack:U0DAVE'];
  bot = await createBot({ settings, schedules: new FakeSchedules(['taxi-batch']) });
});
afterEach(() => bot.close());

const PROD = ['slack:C0AUDIT', 'teams:19:audit'];
const DEV = ['slack:C0DEVAUDIT', 'teams:19:audit'];
const ALL = ['slack:C0AUDIT', 'slack:C0DEVAUDIT', 'teams:19:audit'];

/**
 * Audit posts recorded so far: action → channels (sorted). Refusals are summarised per channel and
 * window (due when the window closes): they count as `command.refused` posts of the summary.
 */
async function posts(): Promise<Record<string, string[]>> {
  const effects = await bot.store.claimEffects(new Date(bot.clock.now().getTime() + 3_600_000), 1000, 60_000);
  const out: Record<string, string[]> = {};
  for (const e of effects.filter((x) => x.kind === AUDIT_POST_EFFECT)) {
    const p = e.payload as unknown as AuditPostPayload;
    (out[p.entry.action] ??= []).push(p.channel);
  }
  for (const e of effects.filter((x) => x.kind === AUDIT_REFUSALS_EFFECT)) {
    (out['command.refused'] ??= []).push((e.payload as unknown as AuditRefusalsPayload).channel);
  }
  for (const k of Object.keys(out)) out[k].sort();
  return out;
}

describe('admin actions reach the audit channels', () => {
  it('subscribe and unsubscribe: the named environment, or every one', async () => {
    expect((await bot.say('slack:U0ADMIN', 'subscribe failed-runs --env prod', { channel: 'slack:C0OPS' })).status).toBe('ok');
    expect(bot.writes().filter((w) => w.startsWith('store.append') || w === 'store.enqueueEffects')).toEqual(['store.appendAudit']);
    expect(await posts()).toEqual({ 'subscription.added': PROD });
    expect((await bot.say('slack:U0ADMIN', 'unsubscribe failed-runs', { channel: 'slack:C0OPS' })).status).toBe('ok');
    expect(await posts()).toEqual({ 'subscription.removed': ALL });
  });

  it('schedule create and delete go to the schedule environment', async () => {
    const created = await bot.say('slack:U0DAVE', 'schedule create nightly --endpoint taxi-batch --every day --env prod');
    expect(created.status).toBe('ok');
    expect((await bot.say('slack:U0DAVE', 'schedule delete nightly --env prod --confirm')).status).toBe('ok');
    expect(await posts()).toEqual({ 'schedule.created': PROD, 'schedule.deleted': PROD });
  });

  it('sp create goes to the environment of the service principal', async () => {
    expect((await bot.say('slack:U0ADMIN', 'sp create taxi dev --confirm')).status).toBe('ok');
    expect(await posts()).toEqual({ 'sp.created': DEV });
  });
});

describe('refusals reach the audit channels', () => {
  it('a command refused for its permission goes to the environment its arguments name', async () => {
    expect((await bot.say('slack:U0DAVE', 'sp create taxi prod')).status).toBe('refused');
    const [entry] = await bot.audit();
    expect(entry).toMatchObject({ action: 'command.refused', env: 'prod', detail: { command: 'sp create', reason: 'needs admin' } });
    expect(await posts()).toEqual({ 'command.refused': PROD });
  });

  it('a refusal from inside the command uses the environment it was refused in', async () => {
    expect((await bot.say('slack:U0DAVE', 'schedule create x --endpoint taxi-batch --every day --env DEV')).status).toBe('refused');
    expect((await bot.audit())[0]).toMatchObject({ action: 'command.refused', env: 'dev' });
    expect(await posts()).toEqual({ 'command.refused': DEV });
  });

  it('a refusal naming no (or an unknown) environment goes to every audit channel', async () => {
    await bot.say('slack:U0DAVE', 'subscribe failed-runs', { channel: 'slack:C0OPS' });
    await bot.say('slack:U0DAVE', 'subscribe failed-runs --env staging', { channel: 'slack:C0OPS' });
    const entries = await bot.audit();
    expect(entries.map((e) => [e.action, e.env])).toEqual([['command.refused', undefined], ['command.refused', undefined]]);
    // Two refusals in one window: one summary per audit channel, not one post per refusal.
    const effects = await posts();
    expect(effects['command.refused'].sort()).toEqual([...ALL].sort());
  });
});
