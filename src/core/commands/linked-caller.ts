/**
 * The caller's linked Entra account (DESIGN 9.6), looked up once per command before any access
 * check: from there on, every check and every decision knows the person behind the chat account.
 */
import type { AccountLinks } from '../ports';
import type { Invocation } from './types';

export async function withLinkedAccount(invocation: Invocation, links: AccountLinks | undefined): Promise<Invocation> {
  if (!links || invocation.caller.linked) return invocation;
  const account = await links.linkedAccount(invocation.caller.id);
  if (!account) return invocation;
  const linked = { objectId: account.objectId.toLowerCase(), userPrincipalName: account.userPrincipalName, displayName: account.displayName };
  return { ...invocation, caller: { ...invocation.caller, linked } };
}
