/** The Teams inbound normaliser and the identity rule, on plain activities. */
import { callerOf, principalOf } from '../../src/adapters/teams';
import { classify } from '../../src/adapters/teams/inbound';
import { testSettings } from '../fakes/settings';

describe('classify', () => {
  const msg = (patch: Record<string, unknown>) => ({ type: 'message', ...patch });

  test('typed text is a command; an empty mention-only message asks for help', () => {
    expect(classify(msg({}), ' promote\u00a0taxi-model prod ')).toEqual({ kind: 'command', text: 'promote taxi-model prod' });
    expect(classify(msg({}), '')).toEqual({ kind: 'command', text: 'help' });
  });

  test('Action.Submit: value carries the verb and the data merged with inputs', () => {
    expect(classify(msg({ value: { verb: 'reject', requestId: 'PR-ABCDE', reason: 'too slow', msteams: { type: 'messageBack' } } }), ''))
      .toEqual({ kind: 'action', via: 'submit', verb: 'reject', data: { requestId: 'PR-ABCDE', reason: 'too slow' }, trigger: 'manual' });
    expect(classify(msg({ value: { requestId: 'PR-ABCDE' } }), '')).toEqual({ kind: 'ignored' });
  });

  test('Action.Execute invoke: a missing trigger is manual, automatic is kept', () => {
    const invoke = (value: unknown) => ({ type: 'invoke', name: 'adaptiveCard/action', value });
    expect(classify(invoke({ action: { type: 'Action.Execute', verb: 'approve', data: { requestId: 'PR-ABCDE' } } }), ''))
      .toEqual({ kind: 'action', via: 'execute', verb: 'approve', data: { requestId: 'PR-ABCDE' }, trigger: 'manual' });
    expect(classify(invoke({ action: { verb: 'refresh', data: {} }, trigger: 'automatic' }), '')).toMatchObject({ verb: 'refresh', trigger: 'automatic' });
    expect(classify(invoke('garbage'), '')).toMatchObject({ kind: 'action', verb: '', data: {} });
    expect(classify({ type: 'invoke', name: 'task/fetch' }, '')).toEqual({ kind: 'unsupported_invoke', name: 'task/fetch' });
  });

  test('installation events', () => {
    expect(classify({ type: 'installationUpdate', action: 'add' }, '')).toEqual({ kind: 'installed' });
    expect(classify({ type: 'installationUpdate', action: 'remove-upgrade' }, '')).toEqual({ kind: 'uninstalled' });
    expect(classify({ type: 'conversationUpdate' }, '')).toEqual({ kind: 'installed' });
    expect(classify({ type: 'typing' }, '')).toEqual({ kind: 'ignored' });
  });
});

describe('identity rule', () => {
  const aad = '8A1B2C3D-0000-4000-8000-00000000000A';
  const settings = (entries: string[]) => testSettings({ admins: entries });

  test('the Entra object id is the principal (lower-cased) when config does not name the user', () => {
    expect(principalOf({ id: '29:abc', aadObjectId: aad }, settings([]))).toBe(`teams:${aad.toLowerCase()}`);
    expect(principalOf({ id: '29:abc' }, settings([]))).toBe('teams:29:abc');
  });

  test('config written by Teams user id or by object id (any case) matches, in the config\'s spelling', () => {
    expect(principalOf({ id: 'user-id-1', aadObjectId: aad }, settings(['teams:user-id-1']))).toBe('teams:user-id-1');
    expect(principalOf({ id: '29:abc', aadObjectId: aad.toLowerCase() }, settings([`teams:${aad}`]))).toBe(`teams:${aad}`);
    // Both named: the object id wins (it is the principal DESIGN §6 describes).
    expect(principalOf({ id: '29:abc', aadObjectId: aad }, settings(['teams:29:abc', `teams:${aad}`]))).toBe(`teams:${aad}`);
  });

  test('the caller carries the display name and object id for group checks', () => {
    expect(callerOf({ id: '29:abc', name: ' Megan ', aadObjectId: aad }, settings([]))).toEqual({ id: `teams:${aad.toLowerCase()}`, platform: 'teams', displayName: 'Megan', aadObjectId: aad.toLowerCase() });
    expect(callerOf({ id: '29:abc' }, settings([])).displayName).toBe('29:abc');
  });
});
