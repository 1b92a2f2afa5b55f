import {
  AS_APPROVER_MODES, type ApprovalPolicy, type RollbackApproval, type ChannelSettings, type EnvironmentSettings, type GuardSettings, type ReleaseSettings, type WorkspaceRef,
} from '../core/settings';
import type { IssueList } from './config-error';
import { GUID } from './env-reader';
import { channels, principals } from './principal-ids';
import { parseRollout, parseServing } from './serving-parser';
import { Fields } from './yaml-fields';

const HOUR = 3_600_000;
export const APPROVAL_DEFAULTS = { minApprovals: 1, requesterCannotApprove: true, expiresAfterMs: 72 * HOUR, remindEveryMs: 24 * HOUR, enforcedBy: 'ado', asApprover: 'prefer-human' } as const;
export const DEFAULT_RELEASE_VARIABLES = { modelName: 'modelName', modelVersion: 'modelVersion', promotionRequestId: 'promotionRequestId' } as const;

const ENV_KEYS = ['name', 'workspace', 'release', 'approval', 'guard', 'serving', 'rollout', 'channels', 'requesters', 'schedulers'];
const ENV_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

export function parseEnvironment(value: unknown, path: string, issues: IssueList): EnvironmentSettings | undefined {
  const f = Fields.of(value, path, issues, ENV_KEYS);
  if (!f) return undefined;
  const name = f.str('name', 'prod');
  if (name !== undefined && !ENV_NAME.test(name)) {
    issues.add(f.at('name'), `"${name}" is not a usable environment name.`, 'use letters, digits, dash or underscore, e.g. preprod.');
  }
  const workspace = parseWorkspace(f.map.workspace, f.at('workspace'), issues);
  const release = f.has('release') ? parseRelease(f.map.release, f.at('release'), issues) : undefined;
  const approval = f.has('approval') ? parseApproval(f.map.approval, f.at('approval'), issues) : undefined;
  const guard = f.has('guard') ? parseGuard(f.map.guard, f.at('guard'), issues) : undefined;
  const serving = f.has('serving') ? parseServing(f.map.serving, f.at('serving'), issues) : undefined;
  const rollout = f.has('rollout') ? parseRollout(f.map.rollout, f.at('rollout'), issues) : undefined;
  const chans = parseChannels(f.map.channels, f.at('channels'), issues);
  const requesters = f.list('requesters', false);
  const schedulers = f.list('schedulers', false);
  if (approval?.enforcedBy === 'ado' && f.has('approval') && !f.has('release')) {
    issues.add(f.at('approval.enforcedBy'), 'is ado (the default) but this environment has no release, so Azure DevOps has no gate to pause.', 'add a release for this environment, or set approval.enforcedBy: bot.');
  }
  if (name === undefined || !workspace || (f.has('release') && !release) || (f.has('approval') && !approval) || (f.has('guard') && !guard)) return undefined;
  return {
    name, workspace, release, approval, guard, channels: chans,
    ...(serving ? { serving } : {}), ...(rollout ? { rollout } : {}),
    requesters: requesters && principals(requesters, issues),
    schedulers: schedulers && principals(schedulers, issues),
  };
}

function parseWorkspace(value: unknown, path: string, issues: IssueList): WorkspaceRef | undefined {
  if (value === undefined) {
    issues.add(path, 'is required but missing.', 'add workspace: { subscriptionId: "<guid>", resourceGroup: <rg>, name: <workspace> }.');
    return undefined;
  }
  const f = Fields.of(value, path, issues, ['subscriptionId', 'resourceGroup', 'name']);
  if (!f) return undefined;
  const subscriptionId = f.str('subscriptionId', '"00000000-0000-0000-0000-000000000000"');
  const resourceGroup = f.str('resourceGroup', 'rg-mlopsv2-0001prod');
  const name = f.str('name', 'mlw-mlopsv2-0001prod');
  if (subscriptionId !== undefined && !GUID.test(subscriptionId)) {
    issues.add(f.at('subscriptionId'), `"${subscriptionId}" is not a subscription id (a GUID).`, 'copy the Subscription ID from the workspace\'s Overview page in the Azure portal.');
    return undefined;
  }
  if (subscriptionId === undefined || resourceGroup === undefined || name === undefined) return undefined;
  return { subscriptionId: subscriptionId.toLowerCase(), resourceGroup, name };
}

export function parseRelease(value: unknown, path: string, issues: IssueList): ReleaseSettings | undefined {
  const f = Fields.of(value, path, issues, ['kind', 'definition', 'stage', 'pipeline', 'environment', 'variables']);
  if (!f) return undefined;
  const kind = f.oneOf('kind', ['classic', 'pipeline'] as const);
  const variables = parseVariables(f, issues);
  const misplaced = (key: string, other: string): void => {
    if (f.has(key)) issues.add(f.at(key), `does not apply to kind ${other}.`, `remove it, or change kind.`);
  };
  if (kind === 'classic') {
    misplaced('pipeline', 'classic');
    misplaced('environment', 'classic');
    const definition = f.str('definition', 'taxi-model-deploy');
    const stage = f.str('stage', 'prod');
    return definition && stage && variables ? { kind, definition, stage, variables } : undefined;
  }
  if (kind === 'pipeline') {
    misplaced('definition', 'pipeline');
    const pipeline = f.str('pipeline', 'deploy-model');
    const environment = f.str('environment', 'prod');
    const stage = f.str('stage', 'DeployProd', false);
    return pipeline && environment && variables ? { kind, pipeline, environment, ...(stage ? { stage } : {}), variables } : undefined;
  }
  return undefined;
}

function parseVariables(parent: Fields, issues: IssueList): ReleaseSettings['variables'] | undefined {
  if (!parent.has('variables')) return { ...DEFAULT_RELEASE_VARIABLES };
  const f = Fields.of(parent.map.variables, parent.at('variables'), issues, Object.keys(DEFAULT_RELEASE_VARIABLES));
  if (!f) return undefined;
  const out = { ...DEFAULT_RELEASE_VARIABLES } as Record<keyof typeof DEFAULT_RELEASE_VARIABLES, string>;
  for (const key of Object.keys(DEFAULT_RELEASE_VARIABLES) as (keyof typeof DEFAULT_RELEASE_VARIABLES)[]) {
    const v = f.str(key, key, false);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

function parseApproval(value: unknown, path: string, issues: IssueList): ApprovalPolicy | undefined {
  const f = Fields.of(value, path, issues, ['approvers', 'minApprovals', 'requesterCannotApprove', 'expiresAfter', 'remindEvery', 'enforcedBy', 'rollback', 'asApprover']);
  if (!f) return undefined;
  const items = f.list('approvers', true);
  const approvers = items ? principals(items, issues) : [];
  if (items && items.length === 0) issues.add(f.at('approvers'), 'is empty, so nobody could ever approve.', 'list at least one approver, or remove approval to need none.');
  const min = f.num('minApprovals', APPROVAL_DEFAULTS.minApprovals, { min: 1, integer: true }, '1');
  const hasGroup = approvers.some((a) => a.startsWith('group:'));
  if (min !== undefined && items && items.length > 0 && !hasGroup && min > approvers.length) {
    issues.add(f.at('minApprovals'), `${min} is more than the ${approvers.length} approver${approvers.length === 1 ? '' : 's'} listed.`, 'lower minApprovals or add approvers.');
  }
  const requesterCannotApprove = f.bool('requesterCannotApprove', APPROVAL_DEFAULTS.requesterCannotApprove);
  const expiresAfterMs = f.duration('expiresAfter', APPROVAL_DEFAULTS.expiresAfterMs, false);
  const remindEveryMs = f.duration('remindEvery', APPROVAL_DEFAULTS.remindEveryMs, true);
  if (remindEveryMs > 0 && remindEveryMs >= expiresAfterMs && f.has('remindEvery')) {
    issues.add(f.at('remindEvery'), 'is not shorter than expiresAfter, so no reminder would ever be sent.', 'make remindEvery shorter than expiresAfter, or 0 to turn reminders off.');
  }
  const enforcedBy = f.oneOf('enforcedBy', ['ado', 'bot'] as const, APPROVAL_DEFAULTS.enforcedBy);
  const rollback = f.has('rollback') ? parseRollbackApproval(f.map.rollback, f.at('rollback'), approvers, issues) : undefined;
  const asApprover = f.oneOf('asApprover', AS_APPROVER_MODES, APPROVAL_DEFAULTS.asApprover);
  if (min === undefined || enforcedBy === undefined || asApprover === undefined || (f.has('rollback') && !rollback)) return undefined;
  return { approvers, minApprovals: min, requesterCannotApprove, expiresAfterMs, remindEveryMs, enforcedBy, asApprover, ...(rollback ? { rollback } : {}) };
}

/** `approval.rollback` (DESIGN 9.3): approvals a rollback needs, and whether its requester may give one. */
function parseRollbackApproval(value: unknown, path: string, approvers: string[], issues: IssueList): RollbackApproval | undefined {
  const f = Fields.of(value, path, issues, ['minApprovals', 'selfApprove']);
  if (!f) return undefined;
  const min = f.num('minApprovals', 1, { min: 0, integer: true }, '1');
  const hasGroup = approvers.some((a) => a.startsWith('group:'));
  if (min !== undefined && approvers.length > 0 && !hasGroup && min > approvers.length) {
    issues.add(f.at('minApprovals'), `${min} is more than the ${approvers.length} approver${approvers.length === 1 ? '' : 's'} listed.`, 'lower approval.rollback.minApprovals or add approvers.');
  }
  const selfApprove = f.bool('selfApprove', false);
  return min === undefined ? undefined : { minApprovals: min, selfApprove };
}

export function parseGuard(value: unknown, path: string, issues: IssueList): GuardSettings | undefined {
  const f = Fields.of(value, path, issues, ['metric', 'goal', 'tolerance']);
  if (!f) return undefined;
  const metric = f.str('metric', 'rmse');
  const goal = f.oneOf('goal', ['minimize', 'maximize'] as const);
  const tolerance = f.num('tolerance', 0, { min: 0 }, '0.02');
  return metric && goal && tolerance !== undefined ? { metric, goal, tolerance } : undefined;
}

function parseChannels(value: unknown, path: string, issues: IssueList): ChannelSettings {
  const out: ChannelSettings = { approvals: [], audit: [], notifications: [] };
  if (value === undefined || value === null) return out;
  const f = Fields.of(value, path, issues, ['approvals', 'audit', 'notifications']);
  if (!f) return out;
  for (const key of ['approvals', 'audit', 'notifications'] as const) {
    const items = f.list(key, false);
    if (items) out[key] = channels(items, issues);
  }
  return out;
}
