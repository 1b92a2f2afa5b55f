import { card } from '../cards/views';
import { formatAgo } from '../format/dates';
import { plural } from '../format/numbers';
import type { ModelSummary } from '../models';
import { environment, flag } from './lookup';
import { mapLimit } from './map-limit';
import { mergePlacements, orderedEnvs, placementLine, placementsFromHistory, placementsFromTags, type Placement } from './placements';
import type { CommandContext, CommandSpec, Outcome, ParsedArgs } from './types';

const MAX_ROWS = 40;

/** Model containers with their latest version and which version runs in each environment. */
export const modelsCommand: CommandSpec = {
  name: 'models',
  summary: 'Models with their latest version and what runs in each environment',
  usage: 'models [filter] [--env E]',
  examples: ['models', 'models taxi', 'models --env prod'],
  args: [{ name: 'filter', required: false, description: 'Part of the model name (`*` wildcards allowed)' }],
  flags: [{ name: 'env', kind: 'string', description: 'Environment whose workspace to list (default: the source)' }],
  permission: 'anyone',
  async handler(ctx: CommandContext, args: ParsedArgs): Promise<Outcome> {
    const env = environment(ctx.settings, flag(args, 'env'));
    const filter = args.positional.filter;
    const all = (await ctx.ports.registry.listModels(env.name)).sort((a, b) => a.name.localeCompare(b.name));
    const matching = filter === undefined ? all : all.filter(matcher(filter));
    const shown = matching.slice(0, MAX_ROWS);
    const placements = await placementsOf(ctx, shown);
    const now = ctx.ports.clock.now();
    const envOrder = orderedEnvs(ctx.settings);
    const rows = shown.map((m, i) => ({
      name: m.name,
      latest: m.latestVersion === null ? '—' : `v${m.latestVersion}`,
      environments: placementLine(placements[i], envOrder),
      updated: formatAgo(m.updatedAt, now),
    }));
    return {
      status: 'ok',
      visibility: 'public',
      reply: card('models', { title: `Models in ${env.name}`, subtitle: subtitle(all.length, matching.length, shown.length, filter), rows }),
    };
  },
};

function subtitle(total: number, matching: number, shown: number, filter: string | undefined): string {
  if (total === 0) return 'No models registered yet.';
  if (matching === 0) return `No model matches '${filter}' (${plural(total, 'model')} in all).`;
  const base = filter === undefined ? plural(total, 'model') : `${plural(matching, 'model')} matching '${filter}' of ${total}`;
  return shown < matching ? `${base}; first ${shown} shown, narrow with a filter.` : `${base}.`;
}

/** Substring match, or a glob when the filter has `*`; case-insensitive. */
function matcher(filter: string): (m: ModelSummary) => boolean {
  const f = filter.toLowerCase();
  if (!f.includes('*')) return (m) => m.name.toLowerCase().includes(f);
  const re = new RegExp(`^${f.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return (m) => re.test(m.name.toLowerCase());
}

/** History first; the source workspace's tags only for models whose history leaves gaps. */
async function placementsOf(ctx: CommandContext, models: ModelSummary[]): Promise<Placement[]> {
  if (models.length === 0) return [];
  const history = await placementsFromHistory(ctx.ports.store);
  const envs = orderedEnvs(ctx.settings);
  return mapLimit(models, 4, async (m) => {
    const known = history.get(m.name);
    if (known && envs.every((e) => known.has(e))) return known;
    const versions = (await ctx.ports.registry.listVersions(ctx.settings.source, m.name)) ?? [];
    return mergePlacements(known, placementsFromTags(versions, envs));
  });
}
