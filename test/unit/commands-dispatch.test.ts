import { card } from '../../src/core/cards/views';
import { allCommands } from '../../src/core/commands/all';
import { declaredOnly, readCommands } from '../../src/core/commands/base';
import { helpCommand } from '../../src/core/commands/help';
import { CommandRegistry, withHandler } from '../../src/core/commands/registry';
import { spCreateSpec } from '../../src/core/commands/specs/sp';
import type { CommandSpec } from '../../src/core/commands/types';
import { BotError } from '../../src/core/errors';
import { createBot, seedTaxiStory, type BotHarness } from '../support/bot-harness';

let bot: BotHarness;
afterEach(async () => { await bot.close(); });

const BAD_INPUT: [string, string][] = [
  ['promte taxi-model prod', 'Unknown command `promte`. Did you mean `promote`?'],
  ['shedule list', 'Did you mean `schedule list`?'],
  ['promote taxi-model', 'Missing <env>'],
  ['promote taxi-model prod --reason "never closed', 'Unterminated quote'],
  ['models --evn prod', 'Did you mean --env?'],
  ['schedule create n --endpoint taxi-batch --every fortnight', 'Valid values: minute, hour, day, week, month.'],
  ['subscribe everything', 'Valid values: failed-runs, releases, approvals.'],
  ['models --env prd', "No environment 'prd'. Environments: dev, preprod, prod."],
  ['model taxi-modle', "No model 'taxi-modle' in dev. Models: churn-model, taxi-model."],
  ['compare taxi-model 7', "No version '7' of taxi-model in dev. Versions: 1, 2, 3, 4, 5."],
  ['runs --since soon', "'soon' is not a duration"],
  ['audit --env staging', "No environment 'staging'"],
];

describe('bad input', () => {
  beforeEach(async () => {
    bot = await createBot();
    seedTaxiStory(bot);
  });

  it.each(BAD_INPUT)('%s → a specific private error, and nothing changes', async (text, says) => {
    const o = await bot.say('slack:U0ADMIN', text);
    expect(o.status).toBe('invalid');
    expect(o.visibility).toBe('private');
    expect(o.reply.template).toBe('error');
    expect(o).toSay(says);
    expect(o.reply.data).toMatchObject({ correlationId: 'corr-1' });
    expect(bot.writes()).toEqual([]);
    expect(await bot.audit()).toEqual([]);
  });

  it('does not reach any port when the grammar is wrong', async () => {
    for (const [text] of BAD_INPUT.slice(0, 7)) await bot.say('slack:U0DAVE', text);
    expect(bot.calls).toEqual([]);
  });

  it('gives the usage line and an example for a missing argument', async () => {
    const o = await bot.say('slack:U0DAVE', 'compare');
    expect(o.reply.data).toMatchObject({
      title: 'Check the command',
      message: 'Missing <model> (model name).\nUsage: compare <model> [v1 v2 …] [--metric M] [--env E]',
      remedy: 'For example: compare taxi-model',
      code: 'usage',
    });
  });
});

describe('access control before the handler', () => {
  beforeEach(async () => { bot = await createBot(); });

  it('refuses a command the caller may not run, privately, and audits the refusal', async () => {
    const o = await bot.say('slack:U0DAVE', 'sp create taxi prod', { channel: 'slack:C0OPS' });
    expect(o.status).toBe('refused');
    expect(o.visibility).toBe('private');
    expect(o).toSay('`sp create` is for admins only.');
    expect(bot.writes()).toEqual(['store.appendAudit']);
    expect(await bot.audit()).toMatchObject([{
      action: 'command.refused', actor: 'slack:U0DAVE', correlationId: 'corr-1',
      detail: { command: 'sp create', reason: 'needs admin', channel: 'slack:C0OPS' },
    }]);
  });

  it('parses before checking access, so bad input from anyone is just bad input', async () => {
    const o = await bot.say('slack:U0DAVE', 'sp create taxi');
    expect(o.status).toBe('invalid');
    expect(await bot.audit()).toEqual([]);
  });

  it('answers a declared command without a handler with a clear notice', async () => {
    bot = await createBot({ commands: [...readCommands, ...declaredOnly] });
    const o = await bot.say('slack:U0ADMIN', 'sp create taxi prod');
    expect(o.status).toBe('failed');
    expect(o.reply.template).toBe('notice');
    expect(o).toSay('`sp create` is not configured in this installation.');
    expect(bot.writes()).toEqual([]);
  });

  it('keeps the refusal when the audit store fails, and logs the failure', async () => {
    bot.store.appendAudit = async () => { throw new Error('disk full'); };
    const o = await bot.say('slack:U0DAVE', 'schedule list');
    expect(o.status).toBe('refused');
    expect(bot.log.lines.find((l) => l.level === 'error')?.msg).toBe('could not audit a refusal');
  });
});

describe('the error sink', () => {
  const throwing = (name: string, error: unknown): CommandSpec => ({
    name, summary: 'test', usage: name, examples: [name], args: [], flags: [], permission: 'anyone',
    handler: async () => { throw error; },
  });

  beforeEach(async () => {
    bot = await createBot({
      commands: [
        helpCommand,
        throwing('crash', new TypeError("Cannot read properties of undefined (reading 'token=abc')")),
        throwing('deny', new BotError('forbidden', 'Only approvers of prod may approve.')),
        throwing('race', new BotError('conflict', 'Already approved by Alice.')),
        throwing('gone', new BotError('upstream_not_found', 'Release 42 no longer exists.')),
        throwing('slow', new BotError('upstream_throttled', 'Azure DevOps asked to slow down.')),
      ],
    });
  });

  it('wraps unknown errors: the user sees a generic message, the log gets the stack', async () => {
    const o = await bot.say('slack:U0DAVE', 'crash');
    expect(o.status).toBe('failed');
    expect(o.reply.data).toMatchObject({ title: 'Something went wrong', code: 'internal', correlationId: 'corr-1' });
    expect(JSON.stringify(o)).not.toContain('token=abc');
    const line = bot.log.lines.find((l) => l.level === 'error')!;
    expect(line.bindings).toMatchObject({ correlationId: 'corr-1', caller: 'slack:U0DAVE', command: 'crash' });
    expect(String((line.obj.err as { stack: string }).stack)).toContain('TypeError');
  });

  it.each([
    ['deny', 'refused', 'Only approvers of prod may approve.'],
    ['race', 'conflict', 'Already approved by Alice.'],
    ['gone', 'not_found', 'Release 42 no longer exists.'],
    ['slow', 'failed', 'Try again in a minute.'],
  ])('maps %s to %s', async (command, status, says) => {
    const o = await bot.say('slack:U0DAVE', command);
    expect(o.status).toBe(status);
    expect(o).toSay(says);
  });

  it('logs an upstream failure as a warning without a stack trace', async () => {
    await bot.say('slack:U0DAVE', 'gone');
    const line = bot.log.lines.find((l) => l.level === 'warn')!;
    expect(line.msg).toBe('Release 42 no longer exists.');
    expect(JSON.stringify(line.obj)).not.toContain('stack');
  });

  it('audits refusals that handlers raise', async () => {
    await bot.say('slack:U0DAVE', 'deny');
    expect(await bot.audit()).toMatchObject([{ action: 'command.refused', detail: { command: 'deny', reason: 'Only approvers of prod may approve.' } }]);
  });
});

describe('registry', () => {
  it('lets an installation attach a handler to a declared command', async () => {
    const handled = withHandler(spCreateSpec, async (_ctx, args) => ({
      status: 'ok', visibility: 'public', reply: card('notice', { title: 'done', text: `sp for ${args.positional.project}`, tone: 'good' }),
    }));
    bot = await createBot({ commands: [...readCommands, ...declaredOnly, handled] });
    expect(bot.commands.isConfigured('sp create')).toBe(true);
    expect(await bot.say('slack:U0ADMIN', 'sp create taxi prod')).toSay('sp for taxi');
  });

  it('refuses two handlers for one name and names of three words', () => {
    const handled = withHandler(spCreateSpec, async () => { throw new Error('unused'); });
    expect(() => new CommandRegistry([...declaredOnly, handled, handled])).toThrow('declared twice');
    expect(() => new CommandRegistry([{ ...helpCommand, name: 'a b c' }])).toThrow('one or two words');
  });

  it('declares the whole grammar of DESIGN §1', () => {
    const names = new CommandRegistry(allCommands).names();
    expect(names.sort()).toEqual([
      'approve', 'audit', 'audit show', 'audit verify', 'cancel', 'compare', 'endpoints', 'freeze', 'freezes', 'help', 'link', 'model', 'models', 'promote', 'reject', 'releases', 'requests', 'retry', 'rollback', 'rollout', 'rollout abort', 'rollout pause', 'rollout resume', 'rollouts', 'runs',
      'schedule create', 'schedule delete', 'schedule disable', 'schedule enable', 'schedule list', 'schedule show',
      'sp create', 'subscribe', 'subscriptions', 'traffic', 'unfreeze', 'unlink', 'unsubscribe', 'whereis', 'whoami',
    ]);
  });
});
