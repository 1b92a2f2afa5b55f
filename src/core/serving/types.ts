/**
 * What serves right now, as Azure ML reports it (DESIGN 9.2): online endpoints with their traffic
 * split and deployments, batch endpoints with their default deployment. Cloud-neutral shapes; the
 * Azure ML adapter maps ARM payloads into them.
 */

/** The model a deployment serves, read from its model asset id. */
export interface ServedModel {
  name: string;
  version: string;
  /** A workspace model, or a model shared through an Azure ML registry. */
  source: 'workspace' | 'registry';
  /** Registry or workspace name when the asset id names it. */
  container?: string;
  /** The asset id as Azure reports it. */
  assetId: string;
}

/** Normalised provisioning state; `raw` keeps Azure's word for display. */
export type ProvisioningState = 'succeeded' | 'in_progress' | 'failed' | 'unknown';

export interface OnlineEndpointInfo {
  env: string;
  name: string;
  /** Deployment name → percent of live traffic. */
  traffic: Record<string, number>;
  /** Deployment name → percent of traffic copied to it (shadow); its answers are not returned. */
  mirrorTraffic: Record<string, number>;
  state: ProvisioningState;
  rawState?: string;
  scoringUri?: string;
  authMode?: string;
}

export interface OnlineDeploymentInfo {
  env: string;
  endpoint: string;
  name: string;
  /** Absent when the asset id is missing or not a model reference the bot can read. */
  model?: ServedModel;
  modelAssetId?: string;
  instanceType?: string;
  instanceCount?: number;
  state: ProvisioningState;
  rawState?: string;
}

export interface BatchEndpointInfo {
  env: string;
  name: string;
  defaultDeployment?: string;
  state: ProvisioningState;
  rawState?: string;
  scoringUri?: string;
}

export interface BatchDeploymentInfo {
  env: string;
  endpoint: string;
  name: string;
  model?: ServedModel;
  modelAssetId?: string;
  compute?: string;
  instanceCount?: number;
  state: ProvisioningState;
  rawState?: string;
}

/** One online endpoint with its deployments, as one read of an environment sees it. */
export interface OnlineEndpointView extends OnlineEndpointInfo {
  deployments: OnlineDeploymentInfo[];
}

export interface BatchEndpointView extends BatchEndpointInfo {
  deployments: BatchDeploymentInfo[];
}

/** Everything that serves in one environment (or the error that kept the bot from reading it). */
export interface EnvServing {
  env: string;
  online: OnlineEndpointView[];
  batch: BatchEndpointView[];
  /** Set when the environment could not be read; the other environments still answer. */
  error?: string;
}
