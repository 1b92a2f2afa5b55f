/** `freeze`, `unfreeze`, `freezes` and the freeze watch: every refusal, and starts/ends audited once. */
import { parseUntil } from '../../src/core/commands/until';
import { watchFreezes } from '../../src/core/policy/freeze-watch';
import type { FreezeWindow } from '../../src/core/settings';
import { testSettings } from '../fakes/settings';
import { createBot } from '../support/bot-harness';

const H = 3_600_000;
const now = new Date('2026-11-02T09:00:00.000Z');

describe('--until', () => {
  it.each([
    ['2026-11-03T08:00Z', '2026-11-03T08:00:00.000Z'],
    ['2026-11-03 08:00', '2026-11-03T08:00:00.000Z'],
    ['2026-11-03T09:30+01:00', '2026-11-03T08:30:00.000Z'],
    ['2026-11-03', '2026-11-03T00:00:00.000Z'],
    ['17:00', '2026-11-02T17:00:00.000Z'],
    ['08:00', '2026-11-03T08:00:00.000Z'],
  ])('reads %s', (text, iso) => {
    expect(parseUntil(text, now).toISOString()).toBe(iso);
  });
  it.each(['tomorrow', '25:00', '2026-13-01', '2026-11-03T24:10Z', ''])('refuses %s with a usage error', (text) => {
    expect(() => parseUntil(text, now)).toThrow(expect.objectContaining({ code: 'usage' }));
  });
});

describe('freeze commands', () => {
  it('refuse bad input clearly and change nothing', async () => {
    const bot = await createBot();
    const cases: [string, RegExp][] = [
      ['freeze prod --for 4h', /needs a reason/],
      ['freeze prod --reason "x"', /exactly one of --for or --until/],
      ['freeze prod --for 4h --until 17:00 --reason "x"', /exactly one of --for or --until/],
      ['freeze prod --for soon --reason "x"', /is not a duration/],
      ['freeze prod --for 100d --reason "x"', /longer than 90 days/],
      ['freeze prod --until 2026-11-01T00:00Z --reason "x"', /is not in the future/],
      ['freeze prood --for 4h --reason "x"', /No environment 'prood'/],
    ];
    for (const [text, message] of cases) {
      const out = await bot.say('slack:U0ADMIN', text);
      expect([text, out.status]).toEqual([text, expect.stringMatching(/invalid|not_found/)]);
      expect(out).toSay(message);
    }
    expect((await bot.say('slack:U0DAVE', 'unfreeze prod')).status).toBe('refused');
    const nothing = await bot.say('slack:U0ADMIN', 'unfreeze prod');
    expect(nothing.status).toBe('not_found');
    expect(nothing).toSay('prod has no freeze set with `freeze`.');
    expect(await bot.store.listDocs('freezes')).toEqual([]);
    expect((await bot.audit()).sort((a, b) => a.seq - b.seq).filter((a) => a.action.startsWith('freeze.'))).toEqual([]);
    await bot.close();
  });

  it('a new freeze replaces the old one without an "ended" line; unfreeze leaves a calendar window in force', async () => {
    const weekly: FreezeWindow = { index: 0, envs: ['prod'], cron: '0 8 * * mon', durationMs: 4 * H, tz: 'UTC', reason: 'monday release review' };
    const bot = await createBot({ settings: testSettings({ freezes: [weekly] }) });
    await bot.say('slack:U0ADMIN', 'freeze prod --for 1h --reason "first"');
    const second = await bot.say('slack:U0ADMIN', 'freeze prod --for 3h --reason "second"');
    expect(second).toSay('replaces the freeze until 2026-11-02 10:00 UTC');
    expect(second).toSay('A calendar freeze (freezes[0]) also holds it until 2026-11-02 12:00 UTC.');
    const lifted = await bot.say('slack:U0ADMIN', 'unfreeze prod');
    expect(lifted).toSay('prod is frozen until 2026-11-02 12:00 UTC: monday release review (freezes[0])');
    const actions = (await bot.audit()).sort((a, b) => a.seq - b.seq).map((a) => `${a.action}:${a.actor}`);
    // The calendar window in force is recorded once too, by the clock the first freeze ran.
    expect(actions).toEqual(['freeze.started:slack:U0ADMIN', 'freeze.started:system', 'freeze.started:slack:U0ADMIN', 'freeze.ended:slack:U0ADMIN']);
    await bot.close();
  });
});

describe('freeze watch', () => {
  it('audits each calendar start and end once, to the audit channels, across ticks and restarts', async () => {
    const nightly: FreezeWindow = { index: 0, envs: ['prod'], cron: '0 22 * * *', durationMs: 4 * H, tz: 'UTC', reason: 'nightly batch' };
    const bot = await createBot({ settings: testSettings({ freezes: [nightly] }) });
    const deps = { store: bot.store, settings: bot.settings, clock: bot.clock };
    expect(await watchFreezes(deps)).toBe(0);
    bot.clock.set('2026-11-02T22:30:00.000Z');
    expect(await watchFreezes(deps)).toBe(1);
    expect(await watchFreezes(deps)).toBe(0);
    bot.clock.set('2026-11-03T02:00:00.000Z');
    expect(await watchFreezes(deps)).toBe(1);
    expect(await watchFreezes(deps)).toBe(0);
    const entries = (await bot.audit()).sort((a, b) => a.seq - b.seq).filter((a) => a.action.startsWith('freeze.'));
    expect(entries.map((a) => [a.action, a.actor, a.env, a.detail.end])).toEqual([
      ['freeze.started', 'system', 'prod', '2026-11-03T02:00:00.000Z'],
      ['freeze.ended', 'system', 'prod', '2026-11-03T02:00:00.000Z'],
    ]);
    const posts = await bot.store.claimEffects(bot.clock.now(), 100, 60_000);
    expect(posts.filter((e) => (e.payload as { channel?: string }).channel === 'slack:C0AUDIT')).toHaveLength(2);
    await bot.close();
  });

  it('records the end of an ad-hoc freeze that ran out', async () => {
    const bot = await createBot();
    await bot.say('slack:U0ADMIN', 'freeze prod --for 30m --reason "deploy window"');
    bot.clock.advance(31 * 60_000);
    expect(await watchFreezes({ store: bot.store, settings: bot.settings, clock: bot.clock })).toBe(1);
    expect((await bot.audit()).sort((a, b) => a.seq - b.seq).map((a) => `${a.action}:${a.actor}`)).toEqual(['freeze.started:slack:U0ADMIN', 'freeze.ended:system']);
    expect(await bot.store.listDocs('freezes')).toEqual([]);
    await bot.close();
  });
});
