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
  for (const raw of entries) {
    const entry = raw.trim();
    if (entry.toLowerCase().startsWith('group:')) {
      if (await directory.isMemberOf({ id: caller.id, aadObjectId: caller.aadObjectId, email }, entry.slice(6))) return true;
    } else if (entry.includes('@') && !entry.includes(':')) {
      email ??= (await directory.emailOf(caller.id))?.toLowerCase();
      if (email !== undefined && email === entry.toLowerCase()) return true;
    } else if (entry === caller.id) {
      return true;
    }
  }
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
  if (await isAdmin(caller, settings, directory)) return true;
  return matchesAny(caller, env.schedulers ?? [], directory);
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
  if (await isAdmin(caller, settings, directory)) return true;
  if (permission === 'admin') return false;
  for (const env of settings.environments) {
    if (permission === 'approver' && (await isApprover(caller, env, directory))) return true;
    if (permission === 'scheduler' && (await matchesAny(caller, env.schedulers ?? [], directory))) return true;
  }
  return false;
}
