/** What a traffic change request carries besides the request itself (DESIGN 9.4). */
export interface Split {
  /** Deployment → percent of live traffic (total 100). */
  traffic: Record<string, number>;
  /** Deployment → percent of traffic copied to it (at most 50 in all; never a live deployment). */
  mirror: Record<string, number>;
}

export interface TrafficPlan {
  endpoint: string;
  before: Split;
  after: Split;
  /** The mirror was given (`--mirror`): it replaces the endpoint's; otherwise it is kept. */
  mirrorGiven: boolean;
  /** Deployment → the model version it serves (`taxi-model v3`), for the card. */
  deploymentModels: Record<string, string>;
  /** Mirrors dropped because their deployment now takes live traffic, in words. */
  droppedMirror?: string;
}

/** Requests of the promotion lifecycle that change traffic are filed under the endpoint and this version word. */
export const TRAFFIC_VERSION = 'traffic';
