import { card } from '../cards/views';
import { readServing } from '../serving/read';
import { requireServing } from '../serving/lookup';
import { servingLookup } from '../serving/rule';
import { servingTruth } from '../serving/truth';
import { buildWhereisView } from '../serving/whereis-view';
import { versionsOf } from './lookup';
import { orderedEnvs, placementsFromHistory, placementsFromTags } from './placements';
import type { CommandSpec } from './types';

/**
 * What serves a model right now, per environment, read from Azure ML (DESIGN 9.2). Two rounds of
 * calls at most: endpoints of every environment, then their deployments (one round when the
 * endpoints are remembered and unchanged); the history, the newest source versions (tags) and the
 * endpoint reads run side by side.
 */
const RECENT_TAGGED = 50;

export const whereisCommand: CommandSpec = {
  name: 'whereis',
  summary: 'What serves a model in each environment right now (endpoints, deployments, traffic)',
  usage: 'whereis <model>',
  examples: ['whereis taxi-model'],
  args: [{ name: 'model', required: true, description: 'Model name' }],
  flags: [],
  permission: 'anyone',
  async handler(ctx, args) {
    const model = args.positional.model!;
    const serving = requireServing(ctx.ports.serving);
    const envs = orderedEnvs(ctx.settings);
    const [read, history, versions] = await Promise.all([
      readServing(serving, envs, { servingOf: servingLookup(ctx.settings, model), memory: ctx.ports.store }),
      placementsFromHistory(ctx.ports.store, model),
      // The newest versions carry the placement tags the fallback reads (as rollback reads them): one page, not every one.
      ctx.ports.registry.recentVersions(ctx.settings.source, model, RECENT_TAGGED).then((p) => p?.versions ?? null),
    ]);
    const truth = servingTruth(model, read, history.get(model), placementsFromTags(versions ?? [], envs));
    // A name nothing knows: the usual unknown-model answer with suggestions.
    if (!versions?.length && truth.every((t) => !t.version)) await versionsOf(ctx.ports, ctx.settings.source, model);
    return { status: 'ok', visibility: 'public', reply: card('whereis', buildWhereisView(model, read, truth)) };
  },
};
