/** What the promotion commands share: the service over the context's ports, and outcome shapes. */
import type { CardMessage } from '../cards/views';
import { card } from '../cards/views';
import type { CommandContext, Outcome, OutcomeStatus, ParsedArgs } from '../commands/types';
import type { ErrorCode } from '../errors';
import { BotError } from '../errors';
import type { Refusal } from './events';
import { PromotionService } from './service';
import type { PromotionRequest } from './types';
import { requestCard } from '../rollback/view';

export function serviceFor(ctx: CommandContext): PromotionService {
  const { store, registry, directory, clock, serving } = ctx.ports;
  return new PromotionService({ store, registry, directory, clock, serving, settings: ctx.settings, log: ctx.log });
}

const REFUSAL_STATUS: Partial<Record<ErrorCode, OutcomeStatus>> = {
  forbidden: 'refused',
  usage: 'invalid',
  invalid_state: 'conflict',
  conflict: 'conflict',
  already_exists: 'conflict',
};

/** A refusal is shown to the person refused only. */
export function refusalOutcome(refusal: Refusal, requestId?: string): Outcome {
  const reply: CardMessage = card('notice', { title: refusalTitle(refusal), text: `${refusal.message} ${refusal.remedy}`, tone: 'warning' });
  return { status: REFUSAL_STATUS[refusal.code] ?? 'refused', reply, visibility: 'private', ...(requestId ? { requestId } : {}) };
}

function refusalTitle(r: Refusal): string {
  if (r.reason === 'already_serving') return 'Already running there';
  if (r.reason === 'duplicate_request') return 'Already requested';
  if (r.reason === 'frozen') return 'Environment frozen';
  if (r.reason === 'not_linked') return 'Link your account first';
  return r.code === 'forbidden' ? 'Not allowed' : r.code === 'usage' ? 'Something is missing' : 'Not possible now';
}

export function promotionOutcome(request: PromotionRequest, visibility: Outcome['visibility'], status: OutcomeStatus = 'ok'): Outcome {
  return { status, reply: requestCard(request), visibility, requestId: request.id };
}

export function stringFlag(args: ParsedArgs, name: string, usage: string): string | undefined {
  const v = args.flags[name];
  if (v === undefined || v === false) return undefined;
  if (v === true || v.trim() === '') throw new BotError('usage', `--${name} needs a value.`, { remedy: `Usage: ${usage}` });
  return v.trim();
}

export function requiredArg(args: ParsedArgs, name: string, usage: string): string {
  const v = args.positional[name]?.trim();
  if (!v) throw new BotError('usage', `Missing <${name}>.`, { remedy: `Usage: ${usage}` });
  return v;
}
