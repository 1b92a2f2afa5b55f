/**
 * Who may move live traffic with a rollout (deny by default). Starting and resuming send more
 * traffic to a new version: where the environment has approvers, they (and admins) may do it, since
 * the version already passed the environment's release gate and a rollout only moves traffic between
 * versions that passed it, with automatic rollback; where it has none, whoever may request
 * promotions there. Pausing and aborting only make things safer: the starter, requesters, approvers
 * and admins may.
 */
import { isAdmin, isApprover, mayRequest } from '../access';
import type { Caller } from '../identity';
import type { Directory } from '../ports';
import type { BotSettings, EnvironmentSettings } from '../settings';

export async function mayDriveRollout(caller: Caller, env: EnvironmentSettings, settings: BotSettings, directory: Directory): Promise<boolean> {
  if (await isAdmin(caller, settings, directory)) return true;
  if ((env.approval?.approvers.length ?? 0) > 0) return isApprover(caller, env, directory);
  return mayRequest(caller, env, directory);
}

export async function mayStopRollout(caller: Caller, env: EnvironmentSettings, settings: BotSettings, directory: Directory, starter: string): Promise<boolean> {
  if (caller.id === starter) return true;
  if (await mayRequest(caller, env, directory)) return true;
  return (await isApprover(caller, env, directory)) || isAdmin(caller, settings, directory);
}

export function whoMayDrive(env: EnvironmentSettings): string {
  return (env.approval?.approvers.length ?? 0) > 0 ? `${env.name} approvers and admins` : `${env.name} requesters and admins`;
}
