/**
 * Promotion order: with [dev, preprod, prod], a version reaches prod only after it succeeded in
 * preprod. Checking the one environment before the target is enough, because that one was checked
 * the same way when the version got there.
 */
import type { OrderCheck } from './events';

export function checkOrder(order: readonly string[], input: { model: string; version: string; sourceEnv: string; targetEnv: string; reached: ReadonlySet<string> }): OrderCheck {
  const { model, version, sourceEnv, targetEnv, reached } = input;
  const names = order.map((n) => n.toLowerCase());
  if (names.length === 0) return { allowed: true, reason: 'no promotion order configured' };
  const at = names.indexOf(targetEnv.toLowerCase());
  if (at < 0) return { allowed: true, reason: `${targetEnv} is not in the promotion order` };
  if (at === 0) return { allowed: true, reason: `${targetEnv} is first in the promotion order` };
  const previous = order[at - 1];
  if (previous.toLowerCase() === sourceEnv.toLowerCase()) return { allowed: true, reason: `${targetEnv} comes straight after ${sourceEnv}` };
  if ([...reached].some((e) => e.toLowerCase() === previous.toLowerCase())) {
    return { allowed: true, reason: `v${version} already runs in ${previous}`, requiredEnv: previous };
  }
  return {
    allowed: false,
    requiredEnv: previous,
    reason: `${model} v${version} has not been promoted to ${previous} yet (promotion order: ${order.join(' → ')})`,
  };
}

/** Environments a version has reached according to its `mlops-env-<env>` tags. */
export function envsFromTags(tags: Record<string, string>): string[] {
  return Object.keys(tags).filter((k) => k.startsWith('mlops-env-')).map((k) => k.slice('mlops-env-'.length));
}
