import { refusalOutcome, promotionOutcome, requiredArg, stringFlag } from '../promotion/command-support';
import { RollbackService } from '../rollback/service';
import type { CommandSpec } from './types';

const usage = 'rollback <model> <env> [--to N] [--reason "…"]';

/** Back to the version that served before (DESIGN 9.3): a traffic switch when its deployment is still there, else a release. */
export const rollbackCommand: CommandSpec = {
  name: 'rollback',
  summary: 'Go back to the version that served before: a traffic switch, or a release when no deployment of it is left.',
  usage,
  examples: ['rollback taxi-model prod', 'rollback taxi-model prod --to 2 --reason "p95 latency doubled"'],
  args: [
    { name: 'model', required: true, description: 'Model name' },
    { name: 'env', required: true, description: 'Environment to roll back' },
  ],
  flags: [
    { name: 'to', kind: 'string', description: 'Version to go back to (default: the one that served before)' },
    { name: 'reason', kind: 'string', description: 'Why, shown to approvers' },
  ],
  // Environments that list `requesters` are checked by the service.
  permission: 'anyone',
  async handler(ctx, args) {
    const { store, registry, directory, clock, serving } = ctx.ports;
    const service = new RollbackService({ store, registry, directory, clock, serving, settings: ctx.settings, log: ctx.log });
    const result = await service.request({
      caller: ctx.invocation.caller,
      model: requiredArg(args, 'model', usage),
      env: requiredArg(args, 'env', usage),
      to: stringFlag(args, 'to', usage),
      reason: stringFlag(args, 'reason', usage),
      channel: ctx.invocation.channel,
      correlationId: ctx.invocation.correlationId,
    });
    if (!result.ok) return refusalOutcome(result.refusal, result.request?.id);
    // The card posted here is the requester's status card; it follows the rollback.
    return promotionOutcome(result.request, 'public');
  },
};
