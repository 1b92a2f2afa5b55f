/** Card buttons → command text: only validated values reach the parser, anything else is refused. */
import { commandFor } from '../../src/core/bot-core';
import { CommandRegistry } from '../../src/core/commands/registry';
import { allCommands } from '../../src/core/commands/all';
import { parse } from '../../src/core/commands/parse';

const SCOPE = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-mlopsv2-0001prod';
const sp = (data: Record<string, unknown>) => commandFor({ verb: 'confirm-sp', data });

describe('commandFor confirm-sp', () => {
  it('builds the typed command from valid data', () => {
    expect(sp({ project: 'taxi-fare-regression', env: 'prod' })).toBe('sp create taxi-fare-regression prod --confirm');
    expect(sp({ project: 'churn', env: 'preprod', role: 'Storage Blob Data Reader', scope: SCOPE, secret: 'true' }))
      .toBe(`sp create churn preprod --role "Storage Blob Data Reader" --scope ${SCOPE} --secret --confirm`);
    expect(sp({ project: 'taxi', env: 'dev', secret: 'false', extra: 'ignored' })).toBe('sp create taxi dev --confirm');
  });

  it('parses back to exactly the values the button carried', () => {
    const text = sp({ project: 'churn', env: 'preprod', role: 'Storage Blob Data Reader', scope: SCOPE, secret: 'true' });
    const parsed = parse(text!, new CommandRegistry(allCommands));
    expect(parsed.args).toEqual({
      positional: { project: 'churn', env: 'preprod' }, rest: [],
      flags: { role: 'Storage Blob Data Reader', scope: SCOPE, secret: true, confirm: true },
    });
  });

  it.each([
    ['flags smuggled into project', { project: 'taxi prod --scope x --secret', env: 'prod' }],
    ['flags smuggled into env', { project: 'taxi', env: 'prod --secret' }],
    ['a project starting with a dash', { project: '--secret', env: 'prod' }],
    ['a missing env', { project: 'taxi' }],
    ['a non-string project', { project: 42, env: 'prod' }],
    ['a quote in the role', { project: 'taxi', env: 'prod', role: 'Reader" --scope subscription "' }],
    ['a backslash in the role', { project: 'taxi', env: 'prod', role: 'Reader\\' }],
    ['a role that reads as a flag', { project: 'taxi', env: 'prod', role: '--secret' }],
    ['spaces in the scope', { project: 'taxi', env: 'prod', scope: '/subscriptions/x --secret' }],
    ['a scope that reads as a flag', { project: 'taxi', env: 'prod', scope: '--secret' }],
    ['a quote in the scope', { project: 'taxi', env: 'prod', scope: '/subscriptions/"x' }],
    ['a too long scope', { project: 'taxi', env: 'prod', scope: `/${'a'.repeat(300)}` }],
    ['secret that is not true/false', { project: 'taxi', env: 'prod', secret: 'yes' }],
    ['a newline in the project', { project: 'taxi\n--secret', env: 'prod' }],
  ])('refuses %s', (_what, data) => {
    expect(sp(data)).toBeNull();
  });

  it('leaves cancel-sp with no command (it is a notice, not a command)', () => {
    expect(commandFor({ verb: 'cancel-sp', data: { project: 'taxi', env: 'prod' } })).toBeNull();
  });

  it('still maps promotion buttons and refuses unknown verbs', () => {
    expect(commandFor({ verb: 'approve', data: { requestId: 'PR-ABCDE' } })).toBe('approve PR-ABCDE');
    expect(commandFor({ verb: 'sp-create', data: { project: 'taxi', env: 'prod' } })).toBeNull();
  });
});

describe('commandFor more', () => {
  const more = (data: Record<string, unknown>) => commandFor({ verb: 'more', data });

  it('runs the list command of the card on its next page', () => {
    expect(more({ command: 'models taxi --env prod --page 2' })).toBe('models taxi --env prod --page 2');
    expect(more({ command: 'runs --failed --since 7d --page 3' })).toBe('runs --failed --since 7d --page 3');
    const parsed = parse(more({ command: 'releases taxi-model --page 2' })!, new CommandRegistry(allCommands));
    expect(parsed).toMatchObject({ args: { positional: { model: 'taxi-model' }, flags: { page: '2' } } });
  });

  it('refuses a forged or edited button', () => {
    expect(more({ command: 'promote taxi-model prod --page 2' })).toBeNull();
    expect(more({ command: 'models; rm -rf / --page 2' })).toBeNull();
    expect(more({ command: 'models' })).toBeNull();
    expect(more({ command: 42 })).toBeNull();
    expect(more({})).toBeNull();
  });
});

describe('commandFor rollout buttons', () => {
  it('maps Pause, Resume and Abort to the commands, with a checked rollout id', () => {
    expect(commandFor({ verb: 'rollout-pause', data: { rolloutId: 'RO-7K3QX' } })).toBe('rollout pause RO-7K3QX');
    expect(commandFor({ verb: 'rollout-resume', data: { rolloutId: 'RO-7K3QX' } })).toBe('rollout resume RO-7K3QX');
    expect(commandFor({ verb: 'rollout-abort', data: { rolloutId: 'RO-7K3QX' } })).toBe('rollout abort RO-7K3QX');
    expect(parse('rollout abort RO-7K3QX', new CommandRegistry(allCommands)).spec.name).toBe('rollout abort');
  });

  it.each([
    ['an id with a flag', { verb: 'rollout-abort', data: { rolloutId: 'RO-7K3QX --x' } }],
    ['a promotion id', { verb: 'rollout-pause', data: { rolloutId: 'PR-7K3QX' } }],
    ['an unknown rollout verb', { verb: 'rollout-start', data: { rolloutId: 'RO-7K3QX' } }],
    ['no id', { verb: 'rollout-resume', data: {} }],
  ])('refuses %s', (_, action) => {
    expect(commandFor(action)).toBeNull();
  });
});
