import { allCommands } from '../../src/core/commands/all';
import { parse } from '../../src/core/commands/parse';
import { CommandRegistry } from '../../src/core/commands/registry';
import { BotError } from '../../src/core/errors';

const registry = new CommandRegistry(allCommands);

function failure(text: string): BotError {
  try {
    parse(text, registry);
  } catch (e) {
    if (e instanceof BotError) return e;
    throw e;
  }
  throw new Error(`parse(${JSON.stringify(text)}) did not fail`);
}

describe('parse: commands', () => {
  it('reads a command with positionals and flags of both forms', () => {
    const { spec, args } = parse('/mlops promote taxi-model prod --version 5 --reason="better rmse" --dry-run', registry);
    expect(spec.name).toBe('promote');
    expect(args).toEqual({ positional: { model: 'taxi-model', env: 'prod' }, rest: [], flags: { version: '5', reason: 'better rmse', 'dry-run': true } });
  });

  it('matches command names case-insensitively and keeps argument case', () => {
    const { spec, args } = parse('@MLOps MODEL Taxi-Model', registry);
    expect(spec.name).toBe('model');
    expect(args.positional.name).toBe('Taxi-Model');
  });

  it('prefers the longest command name', () => {
    expect(parse('audit verify', registry).spec.name).toBe('audit verify');
    expect(parse('audit --since 30d', registry).spec.name).toBe('audit');
    expect(parse('schedule create nightly --endpoint taxi-batch --every day', registry).spec.name).toBe('schedule create');
    expect(parse('<at>MLOps</at> sp create taxi prod --secret', registry).args).toEqual({ positional: { project: 'taxi', env: 'prod' }, rest: [], flags: { secret: true } });
  });

  it('collects rest arguments', () => {
    expect(parse('compare taxi-model 3 4 v5 --metric rmse', registry).args).toEqual({ positional: { model: 'taxi-model' }, rest: ['3', '4', 'v5'], flags: { metric: 'rmse' } });
  });

  it('treats everything after -- as positional', () => {
    expect(parse('reject PR-1 -- --not-a-flag', registry).args.rest).toEqual(['--not-a-flag']);
    expect(parse('reject PR-1 "--quoted" reason', registry).args.rest).toEqual(['--quoted', 'reason']);
    expect(parse('models -- --env', registry).args).toEqual({ positional: { filter: '--env' }, rest: [], flags: {} });
  });

  it('reads booleans with explicit values', () => {
    expect(parse('runs --failed=false', registry).args.flags.failed).toBe(false);
    expect(parse('runs --failed=yes', registry).args.flags.failed).toBe(true);
  });

  it('canonicalises enum values', () => {
    expect(parse('schedule create n --endpoint e --every DAY', registry).args.flags.every).toBe('day');
    expect(parse('subscribe Failed-Runs', registry).args.positional.kind).toBe('failed-runs');
  });

  it('means help for empty input, a bare prefix, or --help', () => {
    for (const text of ['', '   ', '/mlops', '<at>MLOps</at>']) expect(parse(text, registry).spec.name).toBe('help');
    const h = parse('promote --help', registry);
    expect(h.spec.name).toBe('help');
    expect(h.args.positional.command).toBe('promote');
    expect(parse('schedule create -h', registry).args).toEqual({ positional: { command: 'schedule' }, rest: ['create'], flags: {} });
  });
});

describe('parse: bad input', () => {
  it('suggests the nearest command', () => {
    const e = failure('promte taxi-model prod');
    expect(e.code).toBe('unknown_command');
    expect(e.message).toBe('Unknown command `promte`. Did you mean `promote`?');
    expect(failure('modles').message).toContain('`models`');
    expect(failure('shedule create x').message).toContain('`schedule create`');
    expect(failure('schedule crate x').message).toContain('`schedule create`');
  });

  it('ranks a swap of two letters as one typo ("modle" is `model`, not `models`)', () => {
    expect(failure('modle').message).toBe('Unknown command `modle`. Did you mean `model`?');
    expect(failure('moedls').message).toContain('`models`');
    expect(failure('aprove PR-1').message).toContain('`approve`');
  });

  it('says plainly when nothing is close', () => {
    const e = failure('deploy everything');
    expect(e.code).toBe('unknown_command');
    expect(e.message).toBe('Unknown command `deploy`.');
    expect(e.remedy).toContain('help');
  });

  it('asks for the subcommand of a group', () => {
    const e = failure('schedule');
    expect(e.code).toBe('usage');
    expect(e.message).toContain('create, list, show, disable, enable, delete');
  });

  it('gives the usage line for a missing argument', () => {
    const e = failure('promote taxi-model');
    expect(e.code).toBe('usage');
    expect(e.message).toContain('Missing <env>');
    expect(e.message).toContain('Usage: promote <model> <env>');
    expect(e.remedy).toContain('promote taxi-model prod');
  });

  it('names the nearest flag for an unknown one', () => {
    const e = failure('models --evn prod');
    expect(e.code).toBe('usage');
    expect(e.message).toContain('Unknown flag --evn');
    expect(e.message).toContain('Did you mean --env?');
    expect(failure('whoami --verbose').message).toContain('takes no flags');
  });

  it('lists valid values for a bad enum', () => {
    const e = failure('schedule create n --endpoint e --every dayly');
    expect(e.message).toContain('Did you mean day?');
    expect(e.message).toContain('Valid values: minute, hour, day, week, month.');
    expect(failure('subscribe everything').message).toContain('failed-runs, releases, approvals');
  });

  it('refuses missing flag values, repeated flags, extra arguments and bad switches', () => {
    expect(failure('models --env').message).toContain('--env needs a value');
    expect(failure('promote m prod --reason --dry-run').message).toContain('--reason needs a value');
    expect(failure('models --env dev --env prod').message).toContain('more than once');
    expect(failure('whoami now').message).toContain("Unexpected argument 'now'");
    expect(failure('audit verfy').message).toContain('Did you mean `audit verify`?');
    expect(failure('runs --failed=maybe').message).toContain('is a switch');
  });

  it('refuses an unterminated quote', () => {
    const e = failure('promote m prod --reason "half');
    expect(e.code).toBe('usage');
    expect(e.message).toContain('Unterminated quote');
  });

  it('refuses a flag where the command should be', () => {
    expect(failure('--env prod').code).toBe('unknown_command');
  });
});
