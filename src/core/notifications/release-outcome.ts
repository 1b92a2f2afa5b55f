/**
 * What a classic release deployment ended as. Azure DevOps reports an environment that failed to
 * deploy and one whose approval was refused with the same environment status, `rejected`; the
 * deployment record (`deploymentStatus`, `operationStatus`) and the approvals tell them apart.
 */
import { lower, obj, str, type EventKind } from './event';

type Json = Record<string, unknown>;

export interface DeploymentOutcome { kind: EventKind; status: string }

export function classifyDeployment(resource: Json): DeploymentOutcome | null {
  const environment = obj(resource.environment);
  const deployment = obj(resource.deployment);
  const status = lower(environment.status);
  const deploymentStatus = lower(deployment.deploymentStatus ?? environment.deploymentStatus);
  const operationStatus = lower(deployment.operationStatus ?? environment.operationStatus);
  const shown = str(environment.status) ?? str(deployment.deploymentStatus) ?? 'unknown';

  if (status === 'succeeded') return { kind: 'release_succeeded', status: shown };
  if (status === 'partiallysucceeded') return { kind: 'release_failed', status: shown };
  if (status === 'canceled' || status === 'cancelled') return { kind: 'release_canceled', status: shown };
  if (status !== 'rejected' && status !== 'failed' && deploymentStatus !== 'failed') return null;

  // A deployment that ran and failed is a failure even if someone rejected something later.
  if (deploymentStatus === 'failed' || operationStatus === 'phasefailed' || operationStatus === 'failed') {
    return { kind: 'release_failed', status: 'failed' };
  }
  if (operationStatus === 'rejected' || deploymentStatus === 'notdeployed' || approvalRejected(environment)) {
    return { kind: 'release_rejected', status: 'rejected at approval' };
  }
  return { kind: 'release_failed', status: shown };
}

function approvalRejected(environment: Json): boolean {
  const approvals = [environment.preDeployApprovals, environment.postDeployApprovals]
    .flatMap((list) => (Array.isArray(list) ? list : []));
  if (approvals.some((a) => lower(obj(a).status) === 'rejected')) return true;
  const steps = Array.isArray(environment.deploySteps) ? environment.deploySteps : [];
  const last = obj(steps[steps.length - 1]);
  return lower(last.operationStatus) === 'rejected' || (steps.length > 0 && lower(last.status) === 'notdeployed');
}

/**
 * Release payloads carry the REST address (`vsrm.` host, `_apis/Release/releases/N`); people want
 * the web page of the release.
 */
export function releaseWebUrl(apiUrl: string | undefined, releaseId: string | undefined): string | undefined {
  if (!apiUrl) return undefined;
  const m = /^(https?:\/\/)([^/]+)(\/.*?)\/_apis\/Release\/releases\/(\d+)/i.exec(apiUrl);
  if (!m) return apiUrl;
  const host = m[2].replace(/^vsrm\./i, '').replace(/\.vsrm\./i, '.');
  return `${m[1]}${host}${m[3]}/_releaseProgress?_a=release-pipeline-progress&releaseId=${releaseId ?? m[4]}`;
}
