/** Stored Azure DevOps entities; response shapes are rendered from these at request time. */

export interface AdoIdentity {
  id: string;
  displayName: string;
  uniqueName: string;
  /** A group: any of its members may act on what is assigned to it. */
  isContainer?: boolean;
}

/** An Azure DevOps group assigned to approvals; `members` are identity ids (Entra object ids for people). */
export interface AdoGroupRec extends AdoIdentity {
  isContainer: true;
  members: string[];
}

export interface DefinitionEnvironment {
  id: number;
  name: string;
  rank: number;
  /** Pre-deployment approver; absent means an automated approval. */
  preApprover?: AdoIdentity;
}

export interface ReleaseDefinitionRec {
  id: number;
  name: string;
  path: string;
  revision: number;
  createdOn: string;
  environments: DefinitionEnvironment[];
  /** Release-time settable variables with their defaults. */
  variables: Record<string, { value: string; allowOverride: boolean }>;
}

export type EnvStatus = 'notStarted' | 'inProgress' | 'succeeded' | 'canceled' | 'rejected' | 'queued' | 'scheduled' | 'partiallySucceeded';

export interface ReleaseEnvRec {
  id: number;
  definitionEnvironmentId: number;
  name: string;
  rank: number;
  status: EnvStatus;
  /** When the running deployment finishes (epoch ms), while inProgress. */
  dueAt?: number;
  /** Environments listed as manual at release creation only start by updateReleaseEnvironment. */
  manual: boolean;
  triggerReason: string;
  modifiedOn: string;
}

export interface ReleaseRec {
  id: number;
  name: string;
  definitionId: number;
  description: string;
  reason: string;
  status: 'active' | 'abandoned' | 'draft';
  createdOn: string;
  modifiedOn: string;
  createdBy: AdoIdentity;
  variables: Record<string, { value: string; isSecret?: boolean }>;
  artifacts: unknown[];
  environments: ReleaseEnvRec[];
}

export type ReleaseApprovalStatus = 'pending' | 'approved' | 'rejected' | 'reassigned' | 'canceled' | 'skipped';

export interface ReleaseApprovalRec {
  id: number;
  releaseId: number;
  releaseEnvironmentId: number;
  approvalType: 'preDeploy' | 'postDeploy';
  status: ReleaseApprovalStatus;
  approver: AdoIdentity;
  approvedBy?: AdoIdentity;
  comments: string;
  createdOn: string;
  modifiedOn: string;
  revision: number;
}

export interface PipelineStage {
  name: string;
  /** Environment with an Approvals check: the stage waits for it. */
  approvalEnvironment?: string;
}

export interface PipelineRec {
  id: number;
  name: string;
  folder: string;
  revision: number;
  yamlPath: string;
  /** Names of the YAML `parameters:`; runs may set only these as templateParameters. */
  parameters: string[];
  stages: PipelineStage[];
}

/** One stage of a run as the build timeline shows it. */
export interface RunStageRec {
  /** Timeline record id (a GUID). */
  id: string;
  name: string;
  state: 'pending' | 'inProgress' | 'completed';
  result?: 'succeeded' | 'failed' | 'canceled' | 'skipped';
  startTime?: string;
  finishTime?: string;
}

export interface PipelineRunRec {
  id: number;
  pipelineId: number;
  name: string;
  state: 'inProgress' | 'canceling' | 'completed';
  result?: 'succeeded' | 'failed' | 'canceled';
  createdDate: string;
  finishedDate?: string;
  templateParameters: Record<string, string>;
  variables: Record<string, { value: string; isSecret?: boolean }>;
  refName: string;
  stagesToSkip: string[];
  /** Index of the stage in progress. */
  stageIndex: number;
  stageDueAt?: number;
  /** The pending/decided check approval of the current stage. */
  approvalId?: string;
  /** Per-stage timeline; absent on runs stored before the timeline existed (derived then). */
  stageRecords?: RunStageRec[];
}

export type CheckApprovalStatus = 'pending' | 'approved' | 'rejected' | 'canceled' | 'timedOut' | 'skipped';

export interface CheckApprovalRec {
  id: string;
  runId: number;
  pipelineId: number;
  stageName: string;
  environment: string;
  status: CheckApprovalStatus;
  approver: AdoIdentity;
  actualApprover?: AdoIdentity;
  comment: string;
  instructions: string;
  createdOn: string;
  lastModifiedOn: string;
  /** Id of the timeline's `Checkpoint` record holding this approval. */
  checkpointId?: string;
}

export interface AdoState {
  organization: string;
  project: { id: string; name: string };
  /** The identity the bot acts as (a member of the gated stages' approvers). */
  botIdentity: AdoIdentity;
  /** Groups that gated stages and checks are assigned to (absent in state saved before they existed). */
  groups?: AdoGroupRec[];
  definitions: ReleaseDefinitionRec[];
  releases: ReleaseRec[];
  approvals: ReleaseApprovalRec[];
  pipelines: PipelineRec[];
  runs: PipelineRunRec[];
  checkApprovals: CheckApprovalRec[];
  counters: { release: number; releaseEnvironment: number; approval: number; run: number };
}
