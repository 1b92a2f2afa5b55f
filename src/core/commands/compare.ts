import { card } from '../cards/views';
import { BotError } from '../errors';
import { goalOf, orderMetrics, type Goal } from '../format/metrics';
import { metricTable, type MetricRow } from '../format/metric-table';
import { drawChart } from '../charts/draw';
import type { MetricsByRun, ModelVersionInfo } from '../models';
import { mergeServed, readServedMap } from '../serving/placements';
import type { BotSettings, EnvironmentSettings, GuardSettings } from '../settings';
import { environment, flag, normaliseVersion, recentVersionsOf, versionIn } from './lookup';
import { mapLimit } from './map-limit';
import { primaryMetric } from './model';
import { mergePlacements, orderedEnvs, placementsFromHistory, placementsFromTags, productionEnv } from './placements';
import { versionChart } from './version-chart';
import { clip } from './suggest';
import { olderThanPage } from '../catalogue/page-reach';
import type { CommandContext, CommandSpec, Outcome, ParsedArgs } from './types';

const DEFAULT_COUNT = 5;
/** The newest versions read in one round trip; older ones named by the user are read one by one, in parallel. */
const RECENT = 20;

/** Metrics of several versions side by side, best marked, with the change against production. */
export const compareCommand: CommandSpec = {
  name: 'compare',
  summary: 'Metrics of versions side by side, best per metric marked, delta vs production; a chart of the guard metric by version',
  usage: 'compare <model> [v1 v2 …] [--metric M] [--env E]',
  examples: ['compare taxi-model', 'compare taxi-model 3 4 5', 'compare taxi-model --metric rmse'],
  args: [{ name: 'model', required: true, description: 'Model name' }],
  rest: { name: 'versions', description: 'Versions to compare (default: the latest 5)' },
  flags: [
    { name: 'metric', kind: 'string', description: 'Show only this metric' },
    { name: 'env', kind: 'string', description: 'Environment whose workspace to read (default: the source)' },
  ],
  permission: 'anyone',
  async handler(ctx: CommandContext, args: ParsedArgs): Promise<Outcome> {
    const { settings, ports } = ctx;
    const env = environment(settings, flag(args, 'env'));
    // The chart's drawing machinery loads while the reads below are in flight (not awaited).
    ports.charts?.warm();
    const model = args.positional.model!;
    const inSource = env.name === settings.source;
    const prod = productionEnv(settings);
    const wanted = args.rest.map(normaliseVersion);
    // From the store first (no round trip): the history, and which versions asked for (or serving in
    // production by the history) are surely older than the newest page: those are read beside it.
    const history = await placementsFromHistory(ports.store, model);
    const early = await olderThanPage(ports.store, env.name, model, [...wanted, prod === undefined ? undefined : history.get(model)?.get(prod)], RECENT);
    const earlyReads = mapLimit(early, 10, (v) => ports.registry.getVersion(env.name, model, v));
    earlyReads.catch(() => undefined);
    // Round trip 1, all at once: the newest versions (and the source's, for placement tags), the older ones above.
    const [page, sourcePage] = await Promise.all([
      recentVersionsOf(ports, env.name, model, RECENT),
      inSource ? Promise.resolve(null) : ports.registry.recentVersions(settings.source, model, RECENT),
      ports.registry.prepareMetrics(env.name),
    ]);
    const envOrder = orderedEnvs(settings);
    const sourceVersions = inSource ? page.versions : (sourcePage?.versions ?? []);
    const tags = placementsFromTags(sourceVersions, envOrder);
    const recorded = mergePlacements(history.get(model), tags);
    const recordedBaseline = prod === undefined ? undefined : recorded.get(prod);
    // Round 2, side by side: versions older than the newest page not read beside it (each read
    // directly) and what serves (DESIGN 9.2; never rejects; beside the metrics when it takes two rounds).
    const served = readServedMap(ports.serving, envOrder, ctx.log, ports.store).catch(() => undefined);
    const older = [...new Set([...wanted, ...(recordedBaseline ? [recordedBaseline] : [])])].filter((v) => !page.versions.some((x) => x.version === v) && !early.includes(v));
    const fetched = [...(await earlyReads), ...(await mapLimit(older, 10, (v) => ports.registry.getVersion(env.name, model, v)))].filter((v): v is ModelVersionInfo => v !== null);
    const versions = [...page.versions, ...fetched];
    const picked = args.rest.length > 0 ? unique(args.rest.map((v) => versionIn(versions, model, env.name, v))) : page.versions.slice(0, DEFAULT_COUNT);
    // Round 3: the metrics of every version read (the chart draws them all) in one search.
    const runIds = versions.map((v) => v.jobName).filter((j): j is string => j !== undefined);
    const [metrics, servedMap] = await Promise.all([runIds.length > 0 ? ports.registry.getMetrics(env.name, runIds) : Promise.resolve<MetricsByRun>({}), served]);
    const placement = mergeServed(servedMap?.get(model), history.get(model), tags).placement;
    // Production's version as Azure serves it when it was read, else as the bot recorded it.
    const baselineVersion = prod === undefined ? undefined : [placement.get(prod), recordedBaseline].find((v) => versions.some((x) => x.version === v));
    const baseline = versions.find((v) => v.version === baselineVersion);
    const shown = baseline && !picked.includes(baseline) ? [...picked, baseline] : picked;
    const rows: MetricRow[] = shown.map((v) => ({
      label: v === baseline ? `v${v.version} (${prod})` : `v${v.version}`,
      metrics: v.jobName ? metrics[v.jobName] : undefined,
      isBaseline: v === baseline,
    }));
    const names = chooseMetrics(rows, flag(args, 'metric'), primaryMetric(settings));
    const goals: Record<string, Goal> = Object.fromEntries(names.map((m) => [m, goalOf(m, guardFor(m, env, settings))]));
    const table = metricTable(rows, names, goals);
    const chart = versionChart({ settings, model, metric: names.length === 1 ? names[0] : undefined, versions, metrics, placement });
    const image = await drawChart(ports.charts, chart, ctx.log);
    return {
      status: 'ok',
      visibility: 'public',
      reply: card('compare', {
        title: `Compare ${model}`,
        subtitle: `${picked.map((v) => `v${v.version}`).join(', ')} in ${env.name}`,
        columns: table.columns,
        rows: table.rows,
        footnote: footnote(names, goals, baseline, prod),
      }, image),
    };
  },
};

function unique(vs: ModelVersionInfo[]): ModelVersionInfo[] {
  return vs.filter((v, i) => vs.indexOf(v) === i);
}

function chooseMetrics(rows: MetricRow[], wanted: string | undefined, first: string | undefined): string[] {
  const available = orderMetrics(rows.flatMap((r) => Object.keys(r.metrics ?? {})), first);
  if (wanted === undefined) return available;
  const hit = available.find((m) => m.toLowerCase() === wanted.toLowerCase());
  if (hit) return [hit];
  const list = available.length > 0 ? `Metrics: ${available.join(', ')}.` : 'These versions have no metrics logged.';
  throw new BotError('usage', `No metric '${clip(wanted)}' on these versions. ${list}`, { remedy: 'Leave out --metric to see them all.' });
}

/** The guard that judges a metric: the environment read, then production, then any environment. */
function guardFor(metric: string, env: EnvironmentSettings, settings: BotSettings): GuardSettings | undefined {
  const prod = settings.environments.find((e) => e.name === productionEnv(settings));
  const candidates = [env, prod, ...settings.environments];
  return candidates.find((e) => e?.guard?.metric.toLowerCase() === metric.toLowerCase())?.guard;
}

function footnote(names: string[], goals: Record<string, Goal>, baseline: ModelVersionInfo | undefined, prod: string | undefined): string {
  if (names.length === 0) return 'No metrics are logged for these versions.';
  const lower = names.filter((m) => goals[m] === 'minimize');
  const higher = names.filter((m) => goals[m] === 'maximize');
  const sense = [lower.length ? `${lower.join(', ')}: lower is better` : '', higher.length ? `${higher.join(', ')}: higher is better` : '']
    .filter(Boolean)
    .join('; ');
  const delta = baseline ? `Δ vs v${baseline.version}, the version in ${prod}.` : `No version runs in ${prod ?? 'production'} yet, so no delta.`;
  return `★ best per metric (${sense}). ${delta}`;
}
