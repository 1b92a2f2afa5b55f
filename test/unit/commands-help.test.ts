import { expandCard } from '../../src/cards/expand';
import { renderCardText } from '../../src/cli/render-text';
import { createBot, tableOf, type BotHarness } from '../support/bot-harness';

let bot: BotHarness;
beforeEach(async () => { bot = await createBot(); });
afterEach(async () => { await bot.close(); });

const commandsIn = (rows: string[][]): string[] => rows.slice(1).map((r) => r[0].split(/ [<[(-]/)[0].trim());

describe('help', () => {
  it('shows an admin every command, and a plain user only what they may run', async () => {
    const admin = commandsIn(tableOf(await bot.say('slack:U0ADMIN', 'help')));
    const dave = commandsIn(tableOf(await bot.say('slack:U0DAVE', 'help')));
    expect(admin).toEqual(expect.arrayContaining(['sp create', 'schedule create', 'schedule list', 'approve', 'reject', 'subscribe', 'models', 'audit verify']));
    expect(admin).toHaveLength(bot.commands.list().length);
    expect(dave).toEqual(expect.arrayContaining(['help', 'models', 'model', 'compare', 'releases', 'runs', 'audit', 'whoami', 'promote']));
    for (const hidden of ['sp create', 'schedule create', 'approve', 'reject', 'subscribe']) expect(dave).not.toContain(hidden);
  });

  it('fits an admin\'s overview in a terminal: arguments only, the shortest example, long cells wrapped at spaces', async () => {
    const o = await bot.say('slack:U0ADMIN', 'help');
    const rows = tableOf(o);
    expect(rows).toContainEqual(['sp create <project> <env> [options]', expect.any(String), 'sp create taxi-fare-regression prod']);
    const text = renderCardText(expandCard(o.reply), { width: 100 });
    const widest = Math.max(...text.split('\n').map((l) => l.length));
    expect(widest).toBeLessThanOrEqual(100);
    expect(text).toContain('Request the promotion of a model version to');
    // `help <command>` still gives every flag.
    expect(await bot.say('slack:U0ADMIN', 'help sp create')).toSay('--scope');
  });

  it('shows an approver the approval commands but not the admin ones', async () => {
    const alice = commandsIn(tableOf(await bot.say('slack:U0ALICE', 'help')));
    expect(alice).toEqual(expect.arrayContaining(['approve', 'reject']));
    expect(alice).not.toContain('subscribe');
    expect(alice).not.toContain('sp create');
    expect(alice).not.toContain('schedule create');
  });

  it('counts an approver listed by email (resolved through the directory)', async () => {
    expect(commandsIn(tableOf(await bot.say('slack:U0CAROL', 'help')))).toContain('approve');
  });

  it('tells a plain user that more commands exist for other roles', async () => {
    expect(await bot.say('slack:U0DAVE', '/mlops')).toSay(/more need a role you do not have/);
  });

  it('explains one command with its usage, arguments and examples', async () => {
    const o = await bot.say('slack:U0DAVE', 'help compare');
    expect(o.status).toBe('ok');
    expect(o).toShowRow([
      'compare <model> [v1 v2 …] [--metric M] [--env E]',
      'Metrics of versions side by side, best per metric marked, delta vs production; a chart of the guard metric by version',
      'compare taxi-model\ncompare taxi-model 3 4 5\ncompare taxi-model --metric rmse',
    ]);
    expect(o).toSay('--metric <value>: Show only this metric');
  });

  it('answers `<command> --help` like `help <command>`', async () => {
    expect(await bot.say('slack:U0DAVE', 'models --help')).toSay('models [filter] [--env E]');
  });

  it('explains a group and says what the caller may not run there', async () => {
    const o = await bot.say('slack:U0DAVE', 'help schedule');
    expect(tableOf(o)).toHaveLength(7);
    expect(o).toSay('You may not run these commands (schedulers and admins only');
  });

  it('suggests the nearest command for help on an unknown one', async () => {
    const o = await bot.say('slack:U0DAVE', 'help comapre');
    expect(o.status).toBe('invalid');
    expect(o).toSay('Did you mean `compare`?');
  });
});

describe('whoami', () => {
  it('shows a plain user as requester everywhere', async () => {
    const o = await bot.say('slack:U0DAVE', 'whoami');
    expect(o).toShowTable([['env', 'roles'], ['dev', 'requester'], ['preprod', 'requester'], ['prod', 'requester']]);
    expect(o).toSay('slack:U0DAVE');
    expect(o.visibility).toBe('private');
  });

  it('resolves the email and shows the approver role it gives', async () => {
    const o = await bot.say('slack:U0CAROL', 'whoami');
    expect(o).toSay('carol@contoso.com');
    expect(o).toShowRow(['prod', 'approver, requester']);
    expect(o).toShowRow(['dev', 'requester']);
  });

  it('shows admins their admin and scheduler roles', async () => {
    expect(await bot.say('slack:U0ADMIN', 'whoami')).toShowRow(['prod', 'admin, requester, scheduler']);
  });

  it('works for Teams users too', async () => {
    const o = await bot.say('teams:29:erin', '<at>MLOps</at> whoami');
    expect(o).toSay('teams');
    expect(o).toSay('You are Erin');
  });
});
