/** Cloud-neutral shapes the ports return. Adapters map SDK payloads into these. */

export interface ModelSummary {
  name: string;
  latestVersion: string | null;
  description?: string;
  tags: Record<string, string>;
  updatedAt?: Date;
}

export interface ModelVersionInfo {
  name: string;
  version: string;
  description?: string;
  tags: Record<string, string>;
  /** The training job (= MLflow run id) that produced it. */
  jobName?: string;
  createdAt?: Date;
  createdBy?: string;
  modelType?: string;
}

/** Latest value per metric key, per run id. */
export type MetricsByRun = Record<string, Record<string, number>>;

export type JobState = 'queued' | 'running' | 'completed' | 'failed' | 'canceled' | 'unknown';

export interface JobInfo {
  name: string;
  displayName?: string;
  experimentName?: string;
  jobType?: string;
  /** Raw Azure ML status, e.g. `Failed`. */
  status: string;
  state: JobState;
  createdAt?: Date;
  error?: string;
  studioUrl?: string;
  /** The job's tags (a `model` tag names the model it trains). */
  tags?: Record<string, string>;
}

/** Where a release lives in Azure DevOps: a classic release or a YAML pipeline run. */
export interface ReleaseRef {
  kind: 'classic' | 'pipeline';
  /** Release id or run id. */
  id: number;
  name?: string;
  url?: string;
}

export type ReleaseState =
  | 'queued'
  | 'awaiting_approval'
  | 'in_progress'
  | 'succeeded'
  | 'failed'
  | 'rejected'
  | 'canceled';

export interface ReleaseStageStatus {
  name: string;
  /** Normalised status of the stage. */
  state: ReleaseState | 'not_started';
}

export interface ReleaseStatus {
  ref: ReleaseRef;
  /** State of the target stage (the environment being promoted to). */
  state: ReleaseState;
  stages: ReleaseStageStatus[];
  /** The Azure DevOps approval id waiting on the target stage, when there is one. */
  pendingApprovalId?: string;
  /** Who decided in Azure DevOps, when the decision was not made through the bot. */
  decidedBy?: string;
  error?: string;
}

export interface ReleaseInfo {
  ref: ReleaseRef;
  modelName?: string;
  modelVersion?: string;
  createdAt?: Date;
  stages: ReleaseStageStatus[];
}

export interface ScheduleSpec {
  name: string;
  displayName?: string;
  description?: string;
  enabled: boolean;
  trigger:
    | { type: 'recurrence'; frequency: 'minute' | 'hour' | 'day' | 'week' | 'month'; interval: number; hours?: number[]; minutes?: number[]; weekDays?: string[]; monthDays?: number[] }
    | { type: 'cron'; expression: string };
  /** IANA time zone as typed by the user (adapters map to Windows names). */
  timeZone: string;
  action:
    | { type: 'invoke_batch_endpoint'; endpoint: string; input?: string }
    | { type: 'create_pipeline_job'; job: string };
}

export interface ServicePrincipalPlan {
  project: string;
  env: string;
  applicationName: string;
  serviceConnectionName: string;
  role: string;
  scope: string;
  auth: 'federated' | 'secret';
  /** The role resolved at the scope (full role definition id), once the identity admin checked it. */
  roleDefinitionId?: string;
}

export type SpStepState = 'created' | 'existed' | 'failed' | 'skipped';
export type SpStep = 'application' | 'service_principal' | 'role_assignment' | 'service_connection' | 'credential' | 'devops_environment';

/**
 * What `sp create` would find before it creates anything: the role resolved at the scope, the
 * steps already in place, and anything that would stop it half-way (then nothing is created).
 */
export interface ServicePrincipalSurvey {
  roleDefinitionId: string;
  existing: SpStep[];
  blockers: string[];
}

export interface ServicePrincipalResult {
  plan: ServicePrincipalPlan;
  steps: { step: SpStep; state: SpStepState; detail?: string }[];
  appId?: string;
  complete: boolean;
}
