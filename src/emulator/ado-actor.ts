/**
 * Who makes an Azure DevOps call, and whether they may decide an approval. A PAT or the bot's own
 * token acts as the bot; a delegated user token (issued by the emulator's Entra) acts as that
 * person, and Azure DevOps records them (`approvedBy`, `actualApprover`). As in Azure DevOps, only
 * the approval's assignee or a member of the group it is assigned to may decide it.
 */
import { adoError } from './ado-common';
import type { AdoIdentity } from './ado-types';
import type { EmulatorContext } from './context';
import type { Ctx } from './router';
import { looksLikeUserToken, verifyUserAccessToken } from './user-tokens';

/** The caller of an already authenticated Azure DevOps request. */
export function adoActor(ctx: Ctx, emu: EmulatorContext): AdoIdentity {
  const auth = ctx.req.headers.authorization ?? '';
  if (/^Bearer\s/i.test(auth) && looksLikeUserToken(auth)) {
    const check = verifyUserAccessToken(emu, auth);
    if (check.ok) return { id: check.claims.oid, displayName: check.claims.name || check.claims.upn, uniqueName: check.claims.upn };
  }
  return emu.state.ado.botIdentity;
}

export function mayDecide(emu: EmulatorContext, assignee: AdoIdentity, actor: AdoIdentity): boolean {
  if (assignee.id.toLowerCase() === actor.id.toLowerCase()) return true;
  const group = (emu.state.ado.groups ?? []).find((g) => g.id.toLowerCase() === assignee.id.toLowerCase());
  return group !== undefined && group.members.some((m) => m.toLowerCase() === actor.id.toLowerCase());
}

/** The refusal Azure DevOps gives someone who is not an approver of the approval (403, nothing changes). */
export function refuseNotApprover(ctx: Ctx, actor: AdoIdentity, assignee: AdoIdentity, what: string): void {
  adoError(ctx, 403, 'AccessCheckException',
    `VS402904: Access denied: ${actor.displayName} (${actor.uniqueName}) is not an approver of ${what}; it is assigned to ${assignee.displayName}.`);
}
