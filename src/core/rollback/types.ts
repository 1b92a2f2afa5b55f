/** What a rollback request carries besides the request itself (DESIGN 9.3). */
export interface RollbackPlan {
  /** The version serving now, which the rollback leaves (unknown when nothing serves it). */
  fromVersion?: string;
  /**
   * `traffic`: a deployment of the version is still on the endpoint, so the rollback is one traffic
   * update; `release`: it goes through the environment's normal release path.
   */
  mode: 'traffic' | 'release';
  endpoint?: string;
  deployment?: string;
  trafficBefore?: Record<string, number>;
  trafficAfter?: Record<string, number>;
  /** deployment → version it serves, for the card. */
  deploymentVersions?: Record<string, string>;
  /** Where the target version came from, in words ("the request history", "deployment green"). */
  chosenFrom: string;
  /** The version is registered in the source workspace, so it can carry the placement tag. */
  tagSource: boolean;
  /** The environment was frozen when the rollback was asked for (it goes ahead anyway). */
  freezeNote?: string;
}
