/**
 * Who may do what (deny by default). Principal lists in config hold platform-qualified ids
 * (`slack:U0AAA`), emails, or Entra groups (`group:<object id>`); a caller matches an entry by id,
 * by email (resolved through the Directory when the surface did not supply it) or by group membership.
 */
import type { Permission } from './commands/types';
import type { Caller } from './identity';
import type { Directory } from './ports';
import type { BotSettings, EnvironmentSettings } from './settings';

export type Role = 'admin' | 'approver' | 'requester' | 'scheduler';

export async function matchesAny(caller: Caller, entries: readonly string[], directory: Directory): Promise<boolean> {
  let email = caller.email?.toLowerCase();
  let emailAsked = email !== undefined;
  return firstTrue(entries.map((raw) => async () => {
    const entry = raw.trim();
    if (entry.toLowerCase().startsWith('group:')) {
      // A linked account tells a Slack or CLI user's object id, so groups work on every surface.
      const aadObjectId = caller.aadObjectId ?? caller.linked?.objectId;
      return directory.isMemberOf({ id: caller.id, ...(aadObjectId ? { aadObjectId } : {}), email }, entry.slice(6));
    }
    if (entry.includes('@') && !entry.includes(':')) {
      if (!emailAsked) {
        emailAsked = true;
        email = (await directory.emailOf(caller.id))?.toLowerCase();
      }
      return email !== undefined && email === entry.toLowerCase();
    }
    return entry === caller.id || isOwnTeamsEntry(entry, caller);
  }));
}

/**
 * `teams:<aad-object-id>` names a person by their Entra object id: a caller on another surface
 * whose linked Entra account is that object id is that person (DESIGN 9.6).
 */
function isOwnTeamsEntry(entry: string, caller: Caller): boolean {
  const objectId = caller.linked?.objectId;
  return objectId !== undefined && entry.toLowerCase() === `teams:${objectId.toLowerCase()}`;
}

/**
 * Runs checks in order until one says yes. A check that fails (the directory is unreachable) does
 * not stop the others, since a later entry may still match; when none does, the first failure is
 * thrown: an outage must neither grant nor pass for "not listed", so the caller sees why.
 */
async function firstTrue(checks: (() => Promise<boolean>)[]): Promise<boolean> {
  let failure: { error: unknown } | undefined;
  for (const check of checks) {
    try {
      if (await check()) return true;
    } catch (error) {
      failure ??= { error };
    }
  }
  if (failure) throw failure.error;
  return false;
}

export function isAdmin(caller: Caller, settings: BotSettings, directory: Directory): Promise<boolean> {
  return matchesAny(caller, settings.admins, directory);
}

/** Approvers are named per environment; an environment without an approval policy has none. */
export function isApprover(caller: Caller, env: EnvironmentSettings, directory: Directory): Promise<boolean> {
  return matchesAny(caller, env.approval?.approvers ?? [], directory);
}

/** Requesting is open unless the environment lists `requesters`. */
export async function mayRequest(caller: Caller, env: EnvironmentSettings, directory: Directory): Promise<boolean> {
  if (env.requesters === undefined || env.requesters.length === 0) return true;
  return matchesAny(caller, env.requesters, directory);
}

export async function mayManageSchedules(caller: Caller, env: EnvironmentSettings, settings: BotSettings, directory: Directory): Promise<boolean> {
  return firstTrue([() => isAdmin(caller, settings, directory), () => matchesAny(caller, env.schedulers ?? [], directory)]);
}

export async function rolesOf(caller: Caller, settings: BotSettings, directory: Directory): Promise<{ env: string; roles: Role[] }[]> {
  const admin = await isAdmin(caller, settings, directory);
  const out: { env: string; roles: Role[] }[] = [];
  for (const env of settings.environments) {
    const roles: Role[] = [];
    if (admin) roles.push('admin');
    if (await isApprover(caller, env, directory)) roles.push('approver');
    if (await mayRequest(caller, env, directory)) roles.push('requester');
    if (admin || (await matchesAny(caller, env.schedulers ?? [], directory))) roles.push('scheduler');
    out.push({ env: env.name, roles });
  }
  return out;
}

/** Command-level gate (help filtering, first check); handlers refine per environment. */
export async function permits(permission: Permission, caller: Caller, settings: BotSettings, directory: Directory): Promise<boolean> {
  if (permission === 'anyone') return true;
  const lists: (readonly string[])[] = [settings.admins];
  for (const env of settings.environments) {
    if (permission === 'approver') lists.push(env.approval?.approvers ?? []);
    if (permission === 'scheduler') lists.push(env.schedulers ?? []);
  }
  return firstTrue(lists.map((list) => () => matchesAny(caller, list, directory)));
}
