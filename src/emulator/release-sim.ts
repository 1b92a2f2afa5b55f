/**
 * How a classic release moves: each environment starts on its trigger (release created, or the
 * previous environment succeeded) unless it was made manual, waits for its pre-deployment approval
 * when it has an approver, deploys for a while and succeeds. Times are logical: a step happens at
 * the moment it was due, so one tick with a clock far ahead replays the whole chain faithfully.
 */
import type { ReleaseApprovalRec, ReleaseEnvRec, ReleaseRec } from './ado-types';
import { findDefinition } from './ado-release-views';
import type { EmulatorContext } from './context';
import { isoAt } from './context';
import { approvalPendingEvent, deploymentCompletedEvent } from './events';
import { deployModel } from './serving-sim';

export const DEPLOY_MS = 3000;

function latestApproval(emu: EmulatorContext, env: ReleaseEnvRec): ReleaseApprovalRec | undefined {
  return emu.state.ado.approvals.filter((a) => a.releaseEnvironmentId === env.id).pop();
}

function setStatus(rel: ReleaseRec, env: ReleaseEnvRec, status: ReleaseEnvRec['status'], at: number): void {
  env.status = status;
  env.modifiedOn = isoAt(at);
  rel.modifiedOn = isoAt(at);
}

/** Starts the deployment of one environment at `at` (from a trigger or updateReleaseEnvironment). */
export function startEnvironment(emu: EmulatorContext, rel: ReleaseRec, env: ReleaseEnvRec, at: number): void {
  const defEnv = findDefinition(emu, rel.definitionId)?.environments.find((e) => e.id === env.definitionEnvironmentId);
  if (defEnv?.preApprover) {
    const ado = emu.state.ado;
    ado.counters.approval += 1;
    const approval: ReleaseApprovalRec = {
      id: ado.counters.approval, releaseId: rel.id, releaseEnvironmentId: env.id, approvalType: 'preDeploy',
      status: 'pending', approver: defEnv.preApprover, comments: '', createdOn: isoAt(at), modifiedOn: isoAt(at), revision: 1,
    };
    ado.approvals.push(approval);
    setStatus(rel, env, 'queued', at);
    emu.emit(approvalPendingEvent(emu, rel, env, approval));
    return;
  }
  setStatus(rel, env, 'inProgress', at);
  env.dueAt = at + DEPLOY_MS;
}

export function cancelEnvironment(emu: EmulatorContext, rel: ReleaseRec, env: ReleaseEnvRec, at: number): void {
  for (const ap of emu.state.ado.approvals) {
    if (ap.releaseEnvironmentId === env.id && ap.status === 'pending') {
      ap.status = 'canceled';
      ap.modifiedOn = isoAt(at);
    }
  }
  delete env.dueAt;
  setStatus(rel, env, 'canceled', at);
  emu.emit(deploymentCompletedEvent(emu, rel, env));
}

function triggerTime(rel: ReleaseRec, env: ReleaseEnvRec): number | undefined {
  if (env.manual) return undefined;
  const previous = rel.environments.filter((e) => e.rank < env.rank).sort((a, b) => b.rank - a.rank)[0];
  if (!previous) return Date.parse(rel.createdOn);
  return previous.status === 'succeeded' ? Date.parse(previous.modifiedOn) : undefined;
}

/** Advances one environment by one step if it is due; returns whether anything changed. */
function stepEnvironment(emu: EmulatorContext, rel: ReleaseRec, env: ReleaseEnvRec, now: number): boolean {
  switch (env.status) {
    case 'notStarted': {
      const at = triggerTime(rel, env);
      if (at === undefined || at > now) return false;
      startEnvironment(emu, rel, env, at);
      return true;
    }
    case 'queued': {
      const approval = latestApproval(emu, env);
      if (!approval || approval.status === 'pending') return false;
      const at = Date.parse(approval.modifiedOn);
      if (approval.status === 'approved') {
        setStatus(rel, env, 'inProgress', at);
        env.dueAt = at + DEPLOY_MS;
      } else {
        setStatus(rel, env, approval.status === 'rejected' ? 'rejected' : 'canceled', at);
        emu.emit(deploymentCompletedEvent(emu, rel, env));
      }
      return true;
    }
    case 'inProgress': {
      if (env.dueAt === undefined || env.dueAt > now) return false;
      const at = env.dueAt;
      delete env.dueAt;
      setStatus(rel, env, 'succeeded', at);
      deployModel(emu, env.name, rel.variables['modelName']?.value, rel.variables['modelVersion']?.value, at);
      emu.emit(deploymentCompletedEvent(emu, rel, env));
      return true;
    }
    default:
      return false;
  }
}

/** Advances a release as far as `now` allows; returns whether anything changed. */
export function stepRelease(emu: EmulatorContext, rel: ReleaseRec, now: number): boolean {
  let changed = false;
  for (let guard = 0; guard < 100; guard++) {
    let progressed = false;
    for (const env of [...rel.environments].sort((a, b) => a.rank - b.rank)) {
      if (stepEnvironment(emu, rel, env, now)) progressed = true;
    }
    if (!progressed) break;
    changed = true;
  }
  return changed;
}

/** Releases with anything left to do (skips finished history quickly). */
export function activeReleases(emu: EmulatorContext): ReleaseRec[] {
  return emu.state.ado.releases.filter((r) => r.status === 'active'
    && r.environments.some((e) => e.status === 'inProgress' || e.status === 'queued' || (e.status === 'notStarted' && !e.manual)));
}
