/**
 * The settings the core works with: the parsed, validated form of the YAML config (DESIGN §6).
 * `src/config/` produces this; the core never reads files or the environment.
 */
export interface WorkspaceRef {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

export interface ClassicRelease {
  kind: 'classic';
  /** Release definition name (or numeric id as a string). */
  definition: string;
  /** The stage (environment) of the definition this environment maps to. */
  stage: string;
  /** Release variable names, when the definition uses other names. */
  variables: { modelName: string; modelVersion: string; promotionRequestId: string };
}

export interface PipelineRelease {
  kind: 'pipeline';
  /** YAML pipeline name (or numeric id as a string). */
  pipeline: string;
  /** Azure DevOps environment whose Approvals check pauses the run. */
  environment: string;
  /**
   * The stage (YAML `stage:` id or display name) that deploys to `environment`. Absent: the stage
   * named like the environment (`prod`, `DeployProd`, `Deploy_to_prod`), or the only stage.
   */
  stage?: string;
  /** Template parameter names. */
  variables: { modelName: string; modelVersion: string; promotionRequestId: string };
}

export type ReleaseSettings = ClassicRelease | PipelineRelease;

export interface ApprovalPolicy {
  /** Platform-qualified user ids, emails, or `group:<entra object id>` entries. */
  approvers: string[];
  minApprovals: number;
  requesterCannotApprove: boolean;
  expiresAfterMs: number;
  /** Interval between reminders to approvers while a request waits; 0 disables reminders. */
  remindEveryMs: number;
  /** `ado`: Azure DevOps gate pauses the release; `bot`: the bot starts the release only after chat approval. */
  enforcedBy: 'ado' | 'bot';
}

export interface GuardSettings {
  metric: string;
  goal: 'minimize' | 'maximize';
  /** Relative tolerance: 0.02 allows the candidate to be 2% worse than the version in the target. */
  tolerance: number;
}

export interface ChannelSettings {
  approvals: string[];
  audit: string[];
  notifications: string[];
}

export interface EnvironmentSettings {
  name: string;
  workspace: WorkspaceRef;
  release?: ReleaseSettings;
  /** Absent: the environment needs no approval. */
  approval?: ApprovalPolicy;
  guard?: GuardSettings;
  channels: ChannelSettings;
  /** When set, only these principals may request promotions into this environment. */
  requesters?: string[];
  /** Principals allowed to manage schedules in this environment besides admins. */
  schedulers?: string[];
}

export interface BotSettings {
  devops: { project: string };
  /** The environment where models are trained and registered. */
  source: string;
  environments: EnvironmentSettings[];
  /** Absent or empty: any promotion order is allowed. */
  promotionOrder: string[];
  /** Platform-qualified ids or emails of admins. */
  admins: string[];
}

export function findEnvironment(settings: BotSettings, name: string): EnvironmentSettings | undefined {
  const wanted = name.toLowerCase();
  return settings.environments.find((e) => e.name.toLowerCase() === wanted);
}
