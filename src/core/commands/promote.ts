import { requestIdFor } from '../promotion/request-id';
import { promotionOutcome, refusalOutcome, requiredArg, serviceFor, stringFlag } from '../promotion/command-support';
import { card } from '../cards/views';
import { buildPromotionView } from '../promotion/view';
import type { CommandSpec } from './types';

const usage = 'promote <model> <env> [--version N] [--reason "…"] [--dry-run] [--break-glass] [--override-guard]';

export const promoteCommand: CommandSpec = {
  name: 'promote',
  summary: 'Request the promotion of a model version to an environment (guards, approval, release).',
  usage,
  examples: ['promote taxi-model prod', 'promote taxi-model preprod --version 5 --reason "better rmse"', 'promote taxi-model prod --dry-run',
    'promote taxi-model prod --break-glass --reason "hotfix for incident 4711"', 'promote taxi-model prod --override-guard --reason "fairness fix, rmse 3% worse"'],
  args: [
    { name: 'model', required: true, description: 'Registered model name in the source workspace' },
    { name: 'env', required: true, description: 'Target environment' },
  ],
  flags: [
    { name: 'version', kind: 'string', description: 'Model version (default: the latest in the source workspace)' },
    { name: 'reason', kind: 'string', description: 'Why, shown to approvers' },
    { name: 'dry-run', kind: 'boolean', description: 'Show what would happen and change nothing' },
    { name: 'break-glass', kind: 'boolean', description: 'Promote into a frozen environment; needs --reason and one approval more' },
    { name: 'override-guard', kind: 'boolean', description: 'Send a version that fails its guard to approval; needs --reason and one approval more' },
  ],
  // Environments that list `requesters` are checked by the service.
  permission: 'anyone',
  async handler(ctx, args) {
    const dryRun = args.flags['dry-run'] === true;
    const result = await serviceFor(ctx).requestPromotion({
      caller: ctx.invocation.caller,
      model: requiredArg(args, 'model', usage),
      env: requiredArg(args, 'env', usage),
      version: stringFlag(args, 'version', usage),
      reason: stringFlag(args, 'reason', usage),
      dryRun,
      breakGlass: args.flags['break-glass'] === true,
      overrideGuard: args.flags['override-guard'] === true,
      channel: ctx.invocation.channel,
      correlationId: ctx.invocation.correlationId,
      ...(ctx.invocation.idempotencyKey ? { requestId: requestIdFor(ctx.invocation.idempotencyKey) } : {}),
    });
    if (!result.ok) return refusalOutcome(result.refusal, result.request?.id);
    if (result.dryRun) {
      // Same status as the real request would get, so a script sees a would-be block as a refusal.
      const status = result.request.state === 'blocked' ? 'refused' : 'ok';
      return { status, visibility: 'private', reply: card('promotion', buildPromotionView(result.request, { dryRun: true })) };
    }
    // The card posted here is the requester's status card; it follows the request.
    return promotionOutcome(result.request, 'public', result.request.state === 'blocked' ? 'refused' : 'ok');
  },
};
