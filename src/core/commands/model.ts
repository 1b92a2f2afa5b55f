import { card } from '../cards/views';
import { formatDateTime } from '../format/dates';
import { metricsLine } from '../format/metrics';
import { plural } from '../format/numbers';
import type { ModelVersionInfo } from '../models';
import type { BotSettings } from '../settings';
import { environment, flag, versionsOf } from './lookup';
import { ENV_TAG_PREFIX, envsOfVersion, mergePlacements, orderedEnvs, placementLine, placementsFromHistory, placementsFromTags, productionEnv } from './placements';
import type { CommandContext, CommandSpec, Outcome, ParsedArgs } from './types';

const MAX_VERSIONS = 20;

/** One model: its versions with metrics, tags and the environments each runs in. */
export const modelCommand: CommandSpec = {
  name: 'model',
  summary: 'Versions of one model with their metrics, tags and environments',
  usage: 'model <name> [--env E]',
  examples: ['model taxi-model', 'model taxi-model --env prod'],
  args: [{ name: 'name', required: true, description: 'Model name' }],
  flags: [{ name: 'env', kind: 'string', description: 'Environment whose workspace to read (default: the source)' }],
  permission: 'anyone',
  async handler(ctx: CommandContext, args: ParsedArgs): Promise<Outcome> {
    const env = environment(ctx.settings, flag(args, 'env'));
    const name = args.positional.name!;
    const versions = await versionsOf(ctx.ports, env.name, name);
    const shown = versions.slice(0, MAX_VERSIONS);
    const runIds = shown.map((v) => v.jobName).filter((j): j is string => j !== undefined);
    const metrics = runIds.length > 0 ? await ctx.ports.registry.getMetrics(env.name, runIds) : {};
    const envOrder = orderedEnvs(ctx.settings);
    const sourceVersions = env.name === ctx.settings.source ? versions : ((await ctx.ports.registry.listVersions(ctx.settings.source, name)) ?? []);
    const history = await placementsFromHistory(ctx.ports.store, name);
    const placement = mergePlacements(history.get(name), placementsFromTags(sourceVersions, envOrder));
    const first = primaryMetric(ctx.settings);
    const rows = shown.map((v) => ({
      version: `v${v.version}`,
      created: formatDateTime(v.createdAt),
      metrics: metricsLine(v.jobName ? metrics[v.jobName] : undefined, first),
      tags: tagsLine(v),
      environments: envsOfVersion(placement, v.version, envOrder).join(', ') || '—',
    }));
    const more = versions.length > shown.length ? ` (newest ${shown.length} shown)` : '';
    return {
      status: 'ok',
      visibility: 'public',
      reply: card('model', {
        title: name,
        subtitle: `${plural(versions.length, 'version')} in ${env.name}${more}`,
        facts: [
          { title: 'Workspace', value: `${env.workspace.name} (${env.name})` },
          { title: 'Latest', value: `v${versions[0].version}` },
          { title: 'Runs in', value: placementLine(placement, envOrder) },
          ...(versions[0].description ? [{ title: 'Description', value: versions[0].description }] : []),
        ],
        versions: rows,
      }),
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
