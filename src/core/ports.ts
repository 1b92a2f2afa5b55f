/**
 * Ports: the narrow interfaces the core needs from the outside world. Adapters implement them
 * (`src/adapters/*`); unit tests use the in-memory fakes in `test/fakes/`.
 */
import type { AuditDraft, AuditEntry, AuditFilter, AuditHead } from './audit/types';
import type { CardMessage } from './cards/views';
import type { ChartSpec } from './charts/types';
import type {
  JobInfo, MetricsByRun, ModelSummary, ModelVersionInfo, ReleaseInfo, ReleaseRef, ReleaseStatus,
  ScheduleSpec, ServicePrincipalPlan, ServicePrincipalResult, ServicePrincipalSurvey,
} from './models';
import type { EffectDraft, EffectStatus, OutboxEffect } from './outbox/types';
import type { PromotionRequest, PromotionState } from './promotion/types';
import type { Rollout, RolloutFilter } from './rollout/types';
import type { BatchDeploymentInfo, BatchEndpointInfo, OnlineDeploymentInfo, OnlineEndpointInfo } from './serving/types';

/** Models, versions, metrics and jobs of the environments' Azure ML workspaces. */
export interface ModelRegistry {
  /** Every model container (all pages): for the background catalogue, not for commands. */
  listModels(env: string): Promise<ModelSummary[]>;
  /** The first page of model containers, up to `count`, and whether more follow (one round trip). */
  pageModels(env: string, count: number): Promise<{ models: ModelSummary[]; more: boolean }>;
  /** Versions of one model, newest first (all pages); `null` when the model does not exist. */
  listVersions(env: string, model: string): Promise<ModelVersionInfo[] | null>;
  /**
   * The newest `top` versions, newest first, and whether older ones exist (one round trip when the
   * model has versions); `null` when the model does not exist.
   */
  recentVersions(env: string, model: string, top: number): Promise<{ versions: ModelVersionInfo[]; more: boolean } | null>;
  getVersion(env: string, model: string, version: string): Promise<ModelVersionInfo | null>;
  /**
   * Resolves ahead what a metrics read needs (the MLflow tracking URI), so it can run side by side
   * with the reads that come before the metrics; never fails (the metrics read reports problems).
   */
  prepareMetrics(env: string): Promise<void>;
  /** Latest metric values for many runs with as few round trips as the backend allows. */
  getMetrics(env: string, runIds: string[]): Promise<MetricsByRun>;
  /** Merges tags into a model version (existing tags kept). */
  tagVersion(env: string, model: string, version: string, tags: Record<string, string>): Promise<void>;
  listJobs(env: string, opts: { since?: Date; limit?: number }): Promise<JobInfo[]>;
  /**
   * Jobs created since `since`, newest first, reading at most `maxPages` pages one after another;
   * `complete` is false when the window goes on beyond them.
   */
  jobsSince(env: string, since: Date, maxPages: number): Promise<{ jobs: JobInfo[]; complete: boolean }>;
  /** One job by its name (id); `null` when it does not exist. */
  getJob(env: string, name: string): Promise<JobInfo | null>;
}

export interface StartReleaseInput {
  env: string;
  model: string;
  version: string;
  requestId: string;
  description: string;
}

/** Azure DevOps releases (classic) and pipeline runs (YAML), per environment settings. */
export interface Releases {
  /** Starts the release; idempotent per requestId (finds a release already started for it). */
  start(input: StartReleaseInput): Promise<ReleaseRef>;
  /** `model` picks the release a model rule sets for `env` (DESIGN §9.1); without it, the environment's. */
  status(env: string, ref: ReleaseRef, model?: string): Promise<ReleaseStatus>;
  /** Grants or rejects the pending Azure DevOps approval with a comment; a no-op when already decided the same way. */
  decide(env: string, ref: ReleaseRef, approvalId: string, decision: 'approved' | 'rejected', comment: string, model?: string): Promise<void>;
  /**
   * The same decision made as a person, with their delegated token (DESIGN 9.6): Azure DevOps records
   * them as the approver. Azure DevOps refusing that person is an outcome, not an error; the token is
   * used for this one call and kept nowhere.
   */
  decideAs(user: DelegatedToken, env: string, ref: ReleaseRef, approvalId: string, decision: 'approved' | 'rejected', comment: string, model?: string): Promise<HumanDecision>;
  list(opts: { env?: string; model?: string; limit?: number }): Promise<ReleaseInfo[]>;
  /**
   * Newest first, until `want` releases (of the model, when given) are found or the search budget
   * (a few pages one after another) is spent; `complete` says nothing older was left unread.
   */
  search(opts: { env?: string; model?: string; want: number }): Promise<ReleaseSearch>;
  /**
   * The status of many releases of one environment with a few requests in all (the poller's pass);
   * each with its model, whose rule may pick another release (as in `status`).
   */
  statuses(env: string, items: { ref: ReleaseRef; model?: string }[]): Promise<Map<number, ReleaseStatus | Error>>;
}

/** A person's delegated Azure DevOps access token (from `AccountLinks.adoAccessToken`). */
export interface DelegatedToken {
  token: string;
}

/**
 * Why Azure DevOps would not take a decision from a person: not an approver of that approval (or
 * no permission), the approval policy asks them to sign in again ("revalidate identity"), or the
 * token itself was refused or had expired.
 */
export type HumanDecisionRefusal = 'not_approver' | 'revalidate' | 'token_refused';
export type HumanDecision = { ok: true } | { ok: false; reason: HumanDecisionRefusal; detail: string };

export interface ReleaseSearch {
  releases: ReleaseInfo[];
  complete: boolean;
  /** How many releases were read to find them. */
  searched: number;
}

export interface Schedules {
  list(env: string): Promise<ScheduleSpec[]>;
  get(env: string, name: string): Promise<ScheduleSpec | null>;
  upsert(env: string, spec: ScheduleSpec): Promise<ScheduleSpec>;
  setEnabled(env: string, name: string, enabled: boolean): Promise<ScheduleSpec | null>;
  delete(env: string, name: string): Promise<boolean>;
  /** Names of the batch endpoints of the environment's workspace (for validation). */
  listBatchEndpoints(env: string): Promise<string[]>;
  /** The type of a job of the environment's workspace (`Pipeline`, `Command`…), null when there is none of that name. */
  jobType(env: string, name: string): Promise<string | null>;
  /** Names of up to `limit` pipeline jobs of the workspace, newest first (for hints). */
  listPipelineJobs(env: string, limit: number): Promise<string[]>;
}

/**
 * What serves in an environment's workspace: online and batch endpoints and their deployments
 * (DESIGN 9.2), and the one write a rollback and a traffic change need. Lists read every page.
 */
export interface Serving {
  listOnlineEndpoints(env: string): Promise<OnlineEndpointInfo[]>;
  /** `null` when the endpoint does not exist. */
  getOnlineEndpoint(env: string, endpoint: string): Promise<OnlineEndpointInfo | null>;
  /** `null` when the endpoint does not exist. */
  listOnlineDeployments(env: string, endpoint: string): Promise<OnlineDeploymentInfo[] | null>;
  listBatchEndpoints(env: string): Promise<BatchEndpointInfo[]>;
  /** `null` when the endpoint does not exist. */
  listBatchDeployments(env: string, endpoint: string): Promise<BatchDeploymentInfo[] | null>;
  /**
   * Replaces the endpoint's live traffic split (percent per deployment, total 100) and follows the
   * long-running operation to its end. With `mirror` the mirror split is replaced too (percent per
   * deployment, at most 50 in all, none to a deployment taking live traffic; `{}` clears it);
   * without it the mirror is kept, less any deployment that now takes live traffic.
   */
  setTraffic(env: string, endpoint: string, traffic: Record<string, number>, mirror?: Record<string, number>): Promise<OnlineEndpointInfo>;
}

/**
 * Draws a chart the core described (a Vega-Lite spec with its data) into a PNG. Rejects when it
 * cannot, or not within its time limit; callers then deliver the card without the picture.
 */
export interface ChartRenderer {
  render(chart: ChartSpec): Promise<Uint8Array>;
  /**
   * Gets ready to draw without waiting for it (idempotent, never throws): a command that will draw
   * calls it before its upstream reads so the drawing machinery loads while they are in flight.
   */
  warm(): void;
}

/** Live figures of one deployment of an online endpoint over a window (Azure Monitor); null = no data. */
export interface DeploymentLiveFigures {
  deployment: string;
  /** Scoring requests in the window. */
  requests: number | null;
  /** Requests answered with a 5xx status in the window. */
  errors5xx: number | null;
  /** 95th percentile of request latency in the window, milliseconds. */
  latencyP95Ms: number | null;
}

/**
 * Live request metrics of an online endpoint split by deployment (DESIGN 9.4), read from
 * `Microsoft.Insights/metrics` on the endpoint resource; a rollout reads them before each step.
 */
export interface LiveMetrics {
  /** One entry per deployment that the metrics name or that `deployments` asks for (figures null when absent). */
  deploymentFigures(env: string, endpoint: string, window: { from: Date; to: Date }, deployments: string[]): Promise<DeploymentLiveFigures[]>;
}

/** A chat account linked to the Entra account of the person behind it (DESIGN 9.6). */
export interface LinkedAccount {
  /** Platform-qualified chat principal id, e.g. `slack:U0AAA`. */
  chatUserId: string;
  tenantId: string;
  /** Entra object id: the person, across surfaces. */
  objectId: string;
  userPrincipalName: string;
  displayName: string;
  linkedAt: string;
}

/** Why a delegated token could not be had for a chat user. */
export type DelegatedTokenFailure = 'not-linked' | 'expired' | 'refused' | 'unavailable';

/**
 * Linked accounts and the delegated Azure DevOps tokens they give (DESIGN 9.6). Tokens never leave
 * the adapter except as the return value of `adoAccessToken`, for one call to Azure DevOps.
 */
export interface AccountLinks {
  linkedAccount(chatUserId: string): Promise<LinkedAccount | null>;
  /** An access token for Azure DevOps on behalf of the linked user (refresh token → access token). */
  adoAccessToken(chatUserId: string): Promise<{ ok: true; token: string } | { ok: false; reason: DelegatedTokenFailure; detail: string }>;
}

/** Who starts a link: the chat user, where, and what the platform says about them (checked at sign-in). */
export interface LinkStarter {
  /** Platform-qualified chat principal id. */
  chatUserId: string;
  platform: string;
  displayName: string;
  /** The Entra object id the platform vouches for (Teams): only that account may complete the link. */
  aadObjectId?: string;
  /** The email the platform or directory knows: only an Entra account with that name may complete the link. */
  email?: string;
}

/** Starting and ending links (the `link` and `unlink` commands); `AccountLinks` reads them. */
export interface AccountLinking {
  /** A sign-in URL for the starter, valid once and for 10 minutes. */
  begin(starter: LinkStarter): Promise<{ url: string; expiresAt: string }>;
  /** Removes the link and its stored tokens; the account that was linked, or null when there was none. */
  unlink(chatUserId: string): Promise<LinkedAccount | null>;
}

/** Entra applications, role assignments and Azure DevOps service connections. */
export interface IdentityAdmin {
  /**
   * Resolves the role at the scope (a BotError when either does not exist) and finds what already
   * exists, reading only: the plan says "will create" only for the rest.
   */
  survey(plan: ServicePrincipalPlan): Promise<ServicePrincipalSurvey>;
  ensureServicePrincipal(plan: ServicePrincipalPlan): Promise<ServicePrincipalResult>;
}

/** Who someone is beyond their chat id: email and group membership. */
export interface Directory {
  emailOf(principalId: string): Promise<string | undefined>;
  isMemberOf(principal: { id: string; aadObjectId?: string; email?: string }, groupObjectId: string): Promise<boolean>;
}

export interface MessageRef {
  /** Platform-qualified channel id. */
  channel: string;
  /** Platform message id (Slack `ts`, Teams activity id). */
  messageId: string;
}

/** Outbound chat: post and edit cards in channels, whatever platform they are on. */
export interface Chat {
  /** `opts.marker` is carried by the message so `findPosted` can find it again (the outbox key). */
  post(channel: string, message: CardMessage, opts?: PostOptions): Promise<MessageRef>;
  update(ref: MessageRef, message: CardMessage): Promise<void>;
  /**
   * The message posted with `marker` in `channel` since `since`, if the platform can tell: a post
   * whose answer was lost (a 500, a timeout) is looked up before it is repeated. Absent or
   * undefined when the platform cannot look; the caller then posts.
   */
  findPosted?(channel: string, marker: string, since: Date): Promise<MessageRef | undefined>;
}

export interface PostOptions { marker?: string }

export interface Clock {
  now(): Date;
}

export interface Logger {
  child(bindings: Record<string, unknown>): Logger;
  debug(obj: Record<string, unknown>, msg?: string): void;
  info(obj: Record<string, unknown>, msg?: string): void;
  warn(obj: Record<string, unknown>, msg?: string): void;
  error(obj: Record<string, unknown>, msg?: string): void;
}

/**
 * A named lease shared by every replica on one database (leadership, a channel's delivery turn):
 * held by `holder` until `expiresAt` unless renewed; `term` grows each time the holder changes.
 */
export interface Lease {
  name: string;
  holder: string;
  /** When the current holder took it (ISO). */
  since: string;
  expiresAt: string;
  term: number;
}

/** Business figures read from the store for `/metrics`. */
export interface StoreStats {
  requestsByState: Record<string, number>;
  outbox: {
    pending: number;
    running: number;
    dead: number;
    /** Creation time (ISO) of the oldest effect that is due and not done; null when none waits. */
    oldestWaitingSince: string | null;
  };
}

export interface RequestFilter {
  states?: PromotionState[];
  env?: string;
  model?: string;
  limit?: number;
}

/** Narrows what a worker claims: `createdSince` leaves older effects to the worker that owns them. */
export interface ClaimFilter {
  createdSince?: Date;
}

/**
 * Persistence. Every method that changes state is atomic: a transition, its audit entries and its
 * effects are committed together or not at all.
 */
export interface Store {
  migrate(): Promise<void>;
  close(): Promise<void>;

  /** Inserts a new request with its audit entries and effects. */
  createRequest(request: PromotionRequest, audit: AuditDraft[], effects: EffectDraft[]): Promise<void>;
  /**
   * Commits `next` if the stored revision is still `next.revision - 1`; returns 'conflict' otherwise
   * (and commits nothing).
   */
  commitTransition(next: PromotionRequest, audit: AuditDraft[], effects: EffectDraft[]): Promise<'ok' | 'conflict'>;
  getRequest(id: string): Promise<PromotionRequest | null>;
  listRequests(filter: RequestFilter): Promise<PromotionRequest[]>;

  /**
   * Inserts a new rollout with its audit entries and effects; a 'conflict' BotError when another
   * rollout is active on the same endpoint of the environment (or the id exists).
   */
  createRollout(rollout: Rollout, audit: AuditDraft[], effects: EffectDraft[]): Promise<void>;
  /** Commits `next` if the stored revision is still `next.revision - 1`, else 'conflict' (nothing committed). */
  commitRollout(next: Rollout, audit: AuditDraft[], effects: EffectDraft[]): Promise<'ok' | 'conflict'>;
  getRollout(id: string): Promise<Rollout | null>;
  /** Newest first, one page (`limit`, `offset`), with how many match in all. */
  listRollouts(filter: RolloutFilter): Promise<{ rollouts: Rollout[]; total: number }>;

  /**
   * Appends audit entries on their own (admin actions, refusals), with the effects they cause
   * (posting them to audit channels) in the same transaction; effect keys already recorded are
   * ignored, as in `enqueueEffects`.
   */
  appendAudit(drafts: AuditDraft[], effects?: EffectDraft[]): Promise<AuditEntry[]>;
  listAudit(filter: AuditFilter): Promise<AuditEntry[]>;
  /** The anchored head of the chain (kept apart from the entries); null if the store has none. */
  auditHead(): Promise<AuditHead | null>;
  /** Entries with seq > afterSeq in chain order, for verification in pages. */
  readAuditChain(afterSeq: number, limit: number): Promise<AuditEntry[]>;

  /** Records effects alone (no state change), ignoring keys already recorded. */
  enqueueEffects(effects: EffectDraft[]): Promise<void>;
  /** Leases up to `limit` due effects (pending and due, or running with an expired lease). */
  claimEffects(now: Date, limit: number, leaseMs: number, filter?: ClaimFilter): Promise<OutboxEffect[]>;
  completeEffect(id: number, result: Record<string, unknown>): Promise<void>;
  /** Records a failure; `retryAt` null marks the effect dead. */
  failEffect(id: number, error: string, retryAt: Date | null): Promise<void>;
  getEffect(key: string): Promise<OutboxEffect | null>;
  /** Effects in one status, oldest first; `keyPrefix` keeps those whose key starts with it (one request's). */
  listEffects(filter: { status: EffectStatus; keyPrefix?: string; limit?: number }): Promise<OutboxEffect[]>;
  /**
   * A dead effect becomes due now with a fresh deadline (`not_before` = now, attempts 0), because a
   * person asked to retry it; false when it was not dead.
   */
  reviveEffect(id: number, now: Date): Promise<boolean>;

  /** Remembers an inbound dedupe key; true the first time, false for a repeat. */
  markSeen(key: string, now: Date): Promise<boolean>;

  /**
   * Takes the named lease for `holder`, or renews it when `holder` already has it, unless another
   * holder's lease is still valid at `now`; returns the lease as it stands afterwards (compare its
   * holder to know whether it was granted). Atomic across processes sharing the database.
   */
  acquireLease(name: string, holder: string, now: Date, ttlMs: number): Promise<Lease>;
  /** Gives a lease up before it expires (a clean shutdown); false when `holder` did not hold it. */
  releaseLease(name: string, holder: string): Promise<boolean>;
  getLease(name: string): Promise<Lease | null>;

  /** Counts for monitoring: requests by state, outbox depth and the age of its oldest waiting effect. */
  stats(now: Date): Promise<StoreStats>;

  /** Small keyed documents: card message refs, conversation references, checkpoints. */
  getDoc<T>(namespace: string, key: string): Promise<T | null>;
  putDoc<T>(namespace: string, key: string, value: T): Promise<void>;
  listDocs<T>(namespace: string): Promise<{ key: string; value: T }[]>;
  deleteDoc(namespace: string, key: string): Promise<boolean>;
}
