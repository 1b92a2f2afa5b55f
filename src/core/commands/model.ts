import { card } from '../cards/views';
import { formatDateTime } from '../format/dates';
import { metricsLine } from '../format/metrics';
import { plural } from '../format/numbers';
import type { MetricsByRun, ModelVersionInfo } from '../models';
import { catalogued } from '../catalogue/page-reach';
import { FALLBACK_NOTE, mergeServed, readServedMap, servedLine } from '../serving/placements';
import type { BotSettings } from '../settings';
import { environment, flag, recentVersionsOf } from './lookup';
import { ENV_TAG_PREFIX, envsOfVersion, orderedEnvs, placementsFromHistory, placementsFromTags, productionEnv } from './placements';
import type { CommandContext, CommandSpec, Outcome, ParsedArgs } from './types';
import { drawChart } from '../charts/draw';
import { versionChart } from './version-chart';

const MAX_VERSIONS = 20;

/** One model: its versions with metrics, tags and the environments each runs in. */
export const modelCommand: CommandSpec = {
  name: 'model',
  summary: 'Versions of one model with their metrics, tags and environments; a chart of the guard metric by version',
  usage: 'model <name> [--env E]',
  examples: ['model taxi-model', 'model taxi-model --env prod'],
  args: [{ name: 'name', required: true, description: 'Model name' }],
  flags: [{ name: 'env', kind: 'string', description: 'Environment whose workspace to read (default: the source)' }],
  permission: 'anyone',
  async handler(ctx: CommandContext, args: ParsedArgs): Promise<Outcome> {
    const env = environment(ctx.settings, flag(args, 'env'));
    // The chart's drawing machinery loads while the reads below are in flight (not awaited).
    ctx.ports.charts?.warm();
    const name = args.positional.name!;
    const envOrder = orderedEnvs(ctx.settings);
    const inSource = env.name === ctx.settings.source;
    // What serves is read from Azure (one round with the endpoints remembered, else two; never
    // rejects, a failure marks the fallback): beside the versions when the catalogue knows the name,
    // else only once the model is known to exist (a mistyped name costs no serving reads).
    const readServed = () => readServedMap(ctx.ports.serving, envOrder, ctx.log, ctx.ports.store).catch(() => undefined);
    const servedEarly = (await catalogued(ctx.ports.store, env.name, name)) ? readServed() : undefined;
    // Round trip 1, all at once: the newest versions here (and in the source, whose tags say where
    // each version runs) and the request history from the store.
    const [page, sourcePage, history] = await Promise.all([
      recentVersionsOf(ctx.ports, env.name, name, MAX_VERSIONS),
      inSource ? Promise.resolve(null) : ctx.ports.registry.recentVersions(ctx.settings.source, name, MAX_VERSIONS),
      placementsFromHistory(ctx.ports.store, name),
      ctx.ports.registry.prepareMetrics(env.name),
    ]);
    const versions = page.versions;
    const shown = versions;
    const runIds = shown.map((v) => v.jobName).filter((j): j is string => j !== undefined);
    // Round trip 2: the metrics of the shown versions in one search, beside what serves.
    const [metrics, served] = await Promise.all([
      runIds.length > 0 ? ctx.ports.registry.getMetrics(env.name, runIds) : Promise.resolve<MetricsByRun>({}),
      servedEarly ?? readServed(),
    ]);
    const sourceVersions = inSource ? versions : (sourcePage?.versions ?? []);
    const merged = mergeServed(served?.get(name), history.get(name), placementsFromTags(sourceVersions, envOrder));
    const placement = merged.placement;
    const first = primaryMetric(ctx.settings);
    const rows = shown.map((v) => ({
      version: `v${v.version}`,
      created: formatDateTime(v.createdAt),
      metrics: metricsLine(v.jobName ? metrics[v.jobName] : undefined, first),
      tags: tagsLine(v),
      environments: envsOfVersion(placement, v.version, envOrder).join(', ') || '—',
    }));
    const more = page.more ? ` (newest ${shown.length} shown)` : '';
    const chart = versionChart({ settings: ctx.settings, model: name, versions: shown, metrics, placement });
    const image = await drawChart(ctx.ports.charts, chart, ctx.log);
    return {
      status: 'ok',
      visibility: 'public',
      reply: card('model', {
        title: name,
        subtitle: `${page.more ? `at least ${plural(versions.length + 1, 'version')}` : plural(versions.length, 'version')} in ${env.name}${more}`,
        facts: [
          { title: 'Workspace', value: `${env.workspace.name} (${env.name})` },
          { title: 'Latest', value: `v${versions[0].version}` },
          { title: 'Runs in', value: servedLine(merged, envOrder) },
          ...(merged.fallback.size > 0 ? [{ title: 'Note', value: FALLBACK_NOTE }] : []),
          ...merged.disagreements.map((d) => ({ title: 'Disagreement', value: `${d}.` })),
          ...(versions[0].description ? [{ title: 'Description', value: versions[0].description }] : []),
        ],
        versions: rows,
      }, image),
    };
  },
};

/** The metric the promotion guard of production looks at comes first. */
export function primaryMetric(settings: BotSettings): string | undefined {
  const prod = productionEnv(settings);
  return settings.environments.find((e) => e.name === prod)?.guard?.metric ?? settings.environments.find((e) => e.guard)?.guard?.metric;
}

/** User tags; the bot's own placement tags are shown as environments instead. */
function tagsLine(v: ModelVersionInfo): string {
  const entries = Object.entries(v.tags).filter(([k]) => !k.toLowerCase().startsWith(ENV_TAG_PREFIX)).sort(([a], [b]) => a.localeCompare(b));
  return entries.length === 0 ? '—' : entries.map(([k, val]) => (val === '' ? k : `${k}=${val}`)).join(', ');
}
