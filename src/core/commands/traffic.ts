import { card } from '../cards/views';
import { refusalOutcome, promotionOutcome, requiredArg, stringFlag } from '../promotion/command-support';
import { requireServing } from '../serving/lookup';
import { readEndpoint } from '../traffic/read';
import { environmentOf, TrafficService } from '../traffic/service';
import { buildTrafficShowView } from '../traffic/show';
import { parseMirror, parsePairs } from '../traffic/split';
import type { CommandSpec } from './types';

const usage = 'traffic <endpoint> <env> [dep=pct …] [--mirror dep=pct,…|none] [--reason "…"]';
const example = 'traffic taxi-online prod blue=90 green=10';

/** Blue/green traffic of an online endpoint (DESIGN 9.4): shown as Azure ML has it, or changed under the environment's approval policy. */
export const trafficCommand: CommandSpec = {
  name: 'traffic',
  summary: 'Show or change the live and mirrored traffic of an online endpoint (changes need the environment\'s approvals)',
  usage,
  examples: ['traffic taxi-online prod', example, 'traffic taxi-online prod --mirror green=10', 'traffic taxi-online prod --mirror none'],
  args: [
    { name: 'endpoint', required: true, description: 'Online endpoint name' },
    { name: 'env', required: true, description: 'Environment' },
  ],
  rest: { name: 'split', description: 'New live split as deployment=percent pairs adding up to 100 (unnamed deployments get 0%)' },
  flags: [
    { name: 'mirror', kind: 'string', description: 'Mirrored traffic as deployment=percent pairs (at most 50 in all, never to a live deployment), or none' },
    { name: 'reason', kind: 'string', description: 'Why, shown to approvers' },
  ],
  // Environments that list `requesters` are checked by the service before a change is asked for.
  permission: 'anyone',
  async handler(ctx, args) {
    const endpoint = requiredArg(args, 'endpoint', usage);
    const env = environmentOf(ctx.settings, requiredArg(args, 'env', usage));
    const mirrorText = stringFlag(args, 'mirror', usage);
    // Every pair is read and checked before the endpoint is even looked at.
    const live = args.rest.length ? parsePairs(args.rest, 'live', example) : undefined;
    const mirror = mirrorText === undefined ? undefined : parseMirror(mirrorText, 'traffic taxi-online prod --mirror green=10');
    const reason = stringFlag(args, 'reason', usage);
    if (!live && !mirror) {
      const read = await readEndpoint(requireServing(ctx.ports.serving), env.name, endpoint);
      return { status: 'ok', visibility: 'public', reply: card('endpoints', buildTrafficShowView(env.name, read)) };
    }
    const { store, directory, clock, serving } = ctx.ports;
    const service = new TrafficService({ store, directory, clock, serving, settings: ctx.settings, log: ctx.log });
    const result = await service.request({
      caller: ctx.invocation.caller, endpoint, env: env.name, live, mirror, reason,
      channel: ctx.invocation.channel, correlationId: ctx.invocation.correlationId,
    });
    if (!result.ok) return refusalOutcome(result.refusal, result.request?.id);
    return promotionOutcome(result.request, 'public');
  },
};
