/**
 * Azure DevOps refusing a decision made with a person's own token (DESIGN 9.6) is an outcome the
 * core shows on the card, not a failure to retry: not an approver there, a policy that wants them to
 * sign in again ("revalidate identity of approver"), or a token it would not take.
 */
import { isBotError } from '../../core/errors';
import type { HumanDecision, HumanDecisionRefusal } from '../../core/ports';

export class HumanRefused extends Error {
  constructor(readonly reason: HumanDecisionRefusal, readonly detail: string) {
    super(detail);
    this.name = 'HumanRefused';
  }
}

const REVALIDATE = /revalidat|re-?authenticat|sign in again|reauth/i;
const NOT_APPROVER = /not (?:an? )?(?:valid |eligible )?approver|not authori[sz]ed|permission|access denied|VS402904/i;

/** The refusal an error of a call made with a person's token stands for; undefined when it is none. */
export function humanRefusal(e: unknown): HumanRefused | undefined {
  if (e instanceof HumanRefused) return e;
  const details = isBotError(e) ? e.details : undefined;
  const status = typeof details?.status === 'number' ? details.status : (e as { statusCode?: number }).statusCode ?? 0;
  const upstream = String(details?.upstream ?? (e as Error).message ?? '').slice(0, 300);
  if (status === 401) return new HumanRefused('token_refused', `Azure DevOps did not accept the person's sign-in (HTTP 401): ${upstream}`);
  if ((status === 400 || status === 403) && REVALIDATE.test(upstream)) return new HumanRefused('revalidate', `Azure DevOps wants the approver to sign in again (HTTP ${status}): ${upstream}`);
  if (status === 403 || (status === 400 && NOT_APPROVER.test(upstream))) return new HumanRefused('not_approver', `Azure DevOps refused the approver (HTTP ${status}): ${upstream}`);
  return undefined;
}

/** Runs a decision made as a person; a refusal of that person becomes the typed outcome. */
export async function asHumanDecision(run: () => Promise<void>): Promise<HumanDecision> {
  try {
    await run();
    return { ok: true };
  } catch (e) {
    if (e instanceof HumanRefused) return { ok: false, reason: e.reason, detail: e.detail };
    throw e;
  }
}
