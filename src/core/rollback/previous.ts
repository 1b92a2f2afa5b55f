/**
 * The version a rollback goes back to: `--to N` when given; otherwise the newest version the bot's
 * history promoted to the environment other than the one serving now; otherwise the newest older
 * version another deployment of the endpoint still holds; otherwise the placement tags.
 */
import type { PromotionRequest } from '../promotion/types';
import type { OnlineDeploymentInfo } from '../serving/types';

export interface PreviousInput {
  model: string;
  env: string;
  current?: string;
  /** Succeeded requests of the model (any environment). */
  history: PromotionRequest[];
  /** Deployments of the endpoint serving the model now. */
  deployments: OnlineDeploymentInfo[];
  /** Versions tagged `mlops-env-<env>`, newest tag first. */
  tagged: string[];
}

export interface PreviousChoice { version: string; from: string }

const num = (v: string): number => (Number.isFinite(Number(v)) ? Number(v) : -1);

export function previousVersion(input: PreviousInput): PreviousChoice | undefined {
  const { current } = input;
  const fromHistory = input.history
    .filter((r) => r.targetEnv.toLowerCase() === input.env.toLowerCase() && r.version !== current)
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0];
  if (fromHistory) return { version: fromHistory.version, from: `the request history (${fromHistory.id})` };
  const older = input.deployments
    .filter((d) => d.model && d.model.name.toLowerCase() === input.model.toLowerCase() && d.model.version !== current)
    .filter((d) => current === undefined || num(d.model!.version) < num(current))
    .sort((a, b) => num(b.model!.version) - num(a.model!.version))[0];
  if (older) return { version: older.model!.version, from: `deployment ${older.name}` };
  const tagged = input.tagged.find((v) => v !== current);
  if (tagged) return { version: tagged, from: `the mlops-env-${input.env} tag` };
  return undefined;
}
