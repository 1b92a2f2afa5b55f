import { promotionOutcome, refusalOutcome, requiredArg, serviceFor } from '../promotion/command-support';
import type { CommandSpec } from './types';

const usage = 'cancel <request-id>';

export const cancelCommand: CommandSpec = {
  name: 'cancel',
  summary: 'Cancel a promotion request that is waiting for approval (requester or admin).',
  usage,
  examples: ['cancel PR-7K3QX'],
  args: [{ name: 'request-id', required: true, description: 'The request id shown on the card, e.g. PR-7K3QX' }],
  flags: [],
  // The requester-or-admin rule is per request, so the service checks it.
  permission: 'anyone',
  async handler(ctx, args) {
    const result = await serviceFor(ctx).cancel({
      caller: ctx.invocation.caller, requestId: requiredArg(args, 'request-id', usage), correlationId: ctx.invocation.correlationId,
    });
    if (!result.ok) return refusalOutcome(result.refusal, result.request?.id);
    return promotionOutcome(result.request, 'private');
  },
};
