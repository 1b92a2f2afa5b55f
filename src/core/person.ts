/**
 * One person behind several chat accounts (DESIGN 9.6): the same platform id, the same Entra object
 * id (Teams gives it; a linked account carries it on every surface), or the same email when both
 * sides know it. Requester-cannot-approve and N-of-M count people, not chat accounts.
 */
import type { Caller } from './identity';
import type { AsApprover } from './settings';

export interface PersonRef {
  /** Platform-qualified chat principal id. */
  id: string;
  email?: string;
  /** Entra object id, when known. */
  objectId?: string;
}

export function samePerson(a: PersonRef, b: PersonRef): boolean {
  if (a.id === b.id) return true;
  if (a.objectId && b.objectId && a.objectId.toLowerCase() === b.objectId.toLowerCase()) return true;
  return a.email !== undefined && b.email !== undefined && a.email.toLowerCase() === b.email.toLowerCase();
}

/** What an approval event says of the approver (DESIGN 9.6): the person, whether linked, and the mode. */
export function approverFacts(caller: Caller, asApprover: AsApprover): { objectId?: string; linked: boolean; asApprover: AsApprover } {
  const objectId = objectIdOf(caller);
  return { ...(objectId ? { objectId } : {}), linked: caller.linked !== undefined, asApprover };
}

/** The Entra object id that is the caller: the linked account's, else the one the platform gave. */
export function objectIdOf(caller: Caller): string | undefined {
  return (caller.linked?.objectId ?? caller.aadObjectId)?.toLowerCase();
}
