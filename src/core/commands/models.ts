import { listModelsQuickly, type ModelListing } from '../catalogue/model-catalogue';
import { card } from '../cards/views';
import { formatAgo } from '../format/dates';
import type { ModelSummary, ModelVersionInfo } from '../models';
import { environment, flag } from './lookup';
import { mapLimit } from './map-limit';
import { commandLine, countText, moreButton, PAGE_FLAG, pageNote, pageOf, pageSlice } from './paging';
import { orderedEnvs, placementsFromHistory, placementsFromTags, type Placement } from './placements';
import { FALLBACK_NOTE, mergeServed, readServedMap, servedLine } from '../serving/placements';
import type { CommandContext, CommandSpec, Outcome, ParsedArgs } from './types';

const PAGE_SIZE = 20;
/** Versions read per shown model: the newest carry the placement tags and the real "updated". */
const RECENT_VERSIONS = 20;

/**
 * Model containers with their latest version and which version runs in each environment. At most
 * two round trips one after another whatever the size of the registry: the first page of
 * containers with the stored catalogue and the request history, then the newest versions of the
 * shown models, all in parallel.
 */
export const modelsCommand: CommandSpec = {
  name: 'models',
  summary: 'Models with their latest version and what runs in each environment',
  usage: 'models [filter] [--env E] [--page N]',
  examples: ['models', 'models taxi', 'models --env prod'],
  args: [{ name: 'filter', required: false, description: 'Part of the model name (`*` wildcards allowed)' }],
  flags: [{ name: 'env', kind: 'string', description: 'Environment whose models to list (default: the source)' }, PAGE_FLAG],
  permission: 'anyone',
  async handler(ctx: CommandContext, args: ParsedArgs): Promise<Outcome> {
    const env = environment(ctx.settings, flag(args, 'env'));
    const page = pageOf(args);
    const filter = args.positional.filter;
    const source = ctx.settings.source;
    const envOrder = orderedEnvs(ctx.settings);
    // What serves is read from Azure beside the listing and the versions (two rounds of its own,
    // the endpoints then their deployments, side by side with the listing and then the versions).
    const servedRead = readServedMap(ctx.ports.serving, envOrder, ctx.log, ctx.ports.store);
    const [listing, history] = await Promise.all([listModelsQuickly(ctx.ports, env.name), placementsFromHistory(ctx.ports.store)]);
    const all = withPlacedModels(listing, history, env.name, source);
    const matching = filter === undefined ? all : all.filter(matcher(filter));
    const shown = pageSlice(matching, page, PAGE_SIZE, listing.exact);
    const registered = new Set(listing.models.map((m) => m.name));
    const [recent, served] = await Promise.all([recentOf(ctx, shown.rows, env.name, source, registered), servedRead]);
    const now = ctx.ports.clock.now();
    const notes: string[] = [];
    const rows = shown.rows.map((m, i) => {
      const { here, inSource } = recent[i] ?? { here: [], inSource: [] };
      // Azure's serving versions first; the bot's history and tags only where no endpoint serves it (starred).
      const merged = mergeServed(served?.get(m.name), history.get(m.name), placementsFromTags(inSource, envOrder));
      if (merged.fallback.size > 0 && !notes.includes(FALLBACK_NOTE)) notes.unshift(FALLBACK_NOTE);
      notes.push(...merged.disagreements.map((d) => `${m.name} ${d}.`));
      return {
        name: m.name,
        latest: latestOf(m, here),
        environments: servedLine(merged, envOrder),
        updated: formatAgo(updatedOf(m, here), now),
      };
    });
    const hasMore = shown.page < shown.pages;
    const command = commandLine('models', args);
    return {
      status: 'ok',
      visibility: 'public',
      reply: card('models', {
        title: `Models in ${env.name}`,
        subtitle: [subtitle(all.length, matching.length, listing, filter, env.name, source) + pageNote(shown, command, hasMore), ...notes].join(' '),
        rows,
        actions: moreButton(command, page, hasMore),
      }),
    };
  },
};

/**
 * Outside the source, models usually are not registered in the environment's own workspace: they
 * run there from the source registry. Those the history places in the environment are listed too.
 */
function withPlacedModels(listing: ModelListing, history: Map<string, Placement>, env: string, source: string): ModelSummary[] {
  const byName = new Map(listing.models.map((m) => [m.name, m]));
  if (env.toLowerCase() !== source.toLowerCase()) {
    for (const [name, placement] of history) {
      if (!byName.has(name) && placement.has(env)) byName.set(name, { name, latestVersion: null, tags: {} });
    }
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

interface Recent { here: ModelVersionInfo[]; inSource: ModelVersionInfo[] }

/**
 * The newest versions of each shown model, all in one round trip: where it is registered (its real
 * latest version and time) and in the source registry (whose tags say where versions run). A model
 * that only runs in the environment is read in the source alone.
 */
function recentOf(ctx: CommandContext, models: ModelSummary[], env: string, source: string, registered: Set<string>): Promise<Recent[]> {
  const read = async (where: string, name: string): Promise<ModelVersionInfo[]> => (await ctx.ports.registry.recentVersions(where, name, RECENT_VERSIONS))?.versions ?? [];
  const inSourceEnv = env.toLowerCase() === source.toLowerCase();
  return mapLimit(models, PAGE_SIZE, async (m) => {
    if (inSourceEnv || !registered.has(m.name)) {
      const versions = await read(source, m.name);
      return { here: versions, inSource: versions };
    }
    const [here, inSource] = await Promise.all([read(env, m.name), read(source, m.name)]);
    return { here, inSource };
  });
}

function latestOf(m: ModelSummary, versions: ModelVersionInfo[]): string {
  const latest = versions[0]?.version ?? m.latestVersion;
  return latest === undefined || latest === null ? '—' : `v${latest}`;
}

/** A container's own time stays where it was created; a new version is what "updated" means. */
function updatedOf(m: ModelSummary, versions: ModelVersionInfo[]): Date | undefined {
  const times = [m.updatedAt, versions[0]?.createdAt].filter((d): d is Date => d !== undefined);
  return times.length === 0 ? undefined : new Date(Math.max(...times.map((d) => d.getTime())));
}

function subtitle(total: number, matching: number, listing: ModelListing, filter: string | undefined, env: string, source: string): string {
  if (total === 0) return env.toLowerCase() === source.toLowerCase() ? 'No models registered yet.' : `No models registered or running in ${env} yet.`;
  const all = countText(total, listing.exact, 'model');
  if (matching === 0) return `No model matches '${filter}' (${all} in all).`;
  const base = filter === undefined ? all : `${countText(matching, listing.exact, 'model')} matching '${filter}' of ${total}`;
  return listing.asOf ? `${base} (names as of ${listing.asOf.slice(0, 16).replace('T', ' ')} UTC)` : base;
}

/** Substring match, or a glob when the filter has `*`; case-insensitive. */
function matcher(filter: string): (m: ModelSummary) => boolean {
  const f = filter.toLowerCase();
  if (!f.includes('*')) return (m) => m.name.toLowerCase().includes(f);
  const re = new RegExp(`^${f.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return (m) => re.test(m.name.toLowerCase());
}
