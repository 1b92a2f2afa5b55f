/**
 * What a freeze allows (DESIGN §9.5, §9.3): promotions, rollouts and traffic changes into a frozen
 * environment are refused with the reason and the end time; a rollback is always allowed, since
 * going back is how a freeze is kept safe. Every deploying command asks here, with its kind.
 */
import type { Freeze } from './freezes';

export const DEPLOY_KINDS = ['promotion', 'rollout', 'traffic', 'rollback'] as const;
export type DeployKind = (typeof DEPLOY_KINDS)[number];

export type FreezeVerdict =
  | { allowed: true; freeze?: Freeze; note?: string }
  | { allowed: false; freeze: Freeze; message: string; remedy: string };

/** The time as people read it in a refusal: `2026-12-07 08:00 UTC`. */
export function utcText(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

export function freezeLine(f: Freeze): string {
  return `${f.env} is frozen until ${utcText(f.end)}: ${f.reason}`;
}

export function checkFreeze(kind: DeployKind, freeze: Freeze | undefined, opts: { breakGlass?: boolean } = {}): FreezeVerdict {
  if (!freeze) return { allowed: true };
  if (kind === 'rollback') return { allowed: true, freeze, note: `${freezeLine(freeze)}; a rollback is allowed during a freeze.` };
  if (opts.breakGlass) return { allowed: true, freeze, note: `${freezeLine(freeze)}; break glass asks one approval more.` };
  const what = kind === 'promotion' ? 'Promotions' : kind === 'rollout' ? 'Rollouts' : 'Traffic changes';
  const by = origin(freeze);
  return {
    allowed: false, freeze,
    message: `${what} to ${freeze.env} are frozen until ${utcText(freeze.end)}: ${freeze.reason}${by}.`,
    remedy: `Wait until ${utcText(freeze.end)}, or, for an emergency, add --break-glass --reason "…" (one approval more). A rollback is allowed.`,
  };
}

function origin(freeze: Freeze): string {
  if (freeze.kind === 'adhoc' && freeze.by) return ` (frozen by ${freeze.by.name})`;
  return freeze.source ? ` (${freeze.source})` : '';
}
