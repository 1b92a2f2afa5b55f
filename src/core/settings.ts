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
  /** Rollbacks (DESIGN 9.3); absent: one approval from the approvers, never the requester's own. */
  rollback?: RollbackApproval;
  /** Whose identity grants the Azure DevOps approval (DESIGN 9.6); default `prefer-human` (absent means that too). */
  asApprover?: AsApprover;
}

/**
 * Who Azure DevOps records as the approver (DESIGN 9.6): `human` (the approver's own delegated
 * token; an unlinked approver is refused), `prefer-human` (the human when linked, else the bot),
 * `bot` (always the bot, the humans named in the comment).
 */
export type AsApprover = 'human' | 'prefer-human' | 'bot';
export const AS_APPROVER_MODES: readonly AsApprover[] = ['human', 'prefer-human', 'bot'];

export interface RollbackApproval {
  /** Approvals a rollback needs (default 1; 0: none). */
  minApprovals: number;
  /** The requester may approve their own rollback (default false). */
  selfApprove: boolean;
}

export interface GuardSettings {
  metric: string;
  goal: 'minimize' | 'maximize';
  /** Relative tolerance: 0.02 allows the candidate to be 2% worse than the version in the target. */
  tolerance: number;
}

/** What serves a model in each environment's workspace (DESIGN §9.1, read by the serving truth). */
export interface ServingSettings {
  kind: 'online' | 'batch';
  /** Endpoint name; the same name in each environment's workspace. */
  endpoint: string;
}

/** Progressive rollout of a new deployment (DESIGN §9.4). */
export interface RolloutSettings {
  /** Traffic percentages of the new deployment, ascending, ending at 100. */
  steps: number[];
  /** Time between steps. */
  everyMs: number;
  /** Highest error rate (0.01 = 1%) of the canary that lets the rollout go on. */
  maxErrorRate: number;
  /** Highest relative p95 latency increase over the baseline (0.25 = 25%). */
  maxLatencyIncrease: number;
}

/**
 * One entry of `models:` (DESIGN §9.1): matched by exact name or glob, first match wins; whatever
 * it sets overrides the environment's setting for the models it matches.
 */
export interface ModelRule {
  /** Exact model name or glob (`*` any run of characters, `?` one character); case-insensitive. */
  match: string;
  /** Position in `models:`, for messages (`models[1]`). */
  index: number;
  guard?: GuardSettings;
  /** Per environment name (as configured). */
  release?: Record<string, ReleaseSettings>;
  serving?: ServingSettings;
  rollout?: RolloutSettings;
  /** Overrides the environment's `approval.asApprover` for the models this rule matches. */
  approval?: { asApprover: AsApprover };
}

/** A recurring freeze window of `freezes:` (DESIGN §9.5): starts at each cron time in `tz`, lasts `durationMs`. */
export interface FreezeWindow {
  /** Position in `freezes:`, for messages and durable keys. */
  index: number;
  /** Environment names (as configured). */
  envs: string[];
  /** Five-field cron expression of the start times. */
  cron: string;
  durationMs: number;
  /** IANA time zone of the cron. */
  tz: string;
  reason: string;
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
  serving?: ServingSettings;
  rollout?: RolloutSettings;
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
  /** Rules per model (first match wins); absent or empty: every model uses its environment's settings. */
  models?: ModelRule[];
  /** Calendar freeze windows; absent or empty: none. */
  freezes?: FreezeWindow[];
  /**
   * Refused commands reach the audit channels as one summary per channel per window of this length
   * (default 60 s), so nobody can flood them; every refusal is still its own audit entry.
   */
  refusalDigestMs?: number;
}

export function findEnvironment(settings: BotSettings, name: string): EnvironmentSettings | undefined {
  const wanted = name.toLowerCase();
  return settings.environments.find((e) => e.name.toLowerCase() === wanted);
}
