import { card } from '../cards/views';
import { formatDateTime } from '../format/dates';
import { plural } from '../format/numbers';
import type { ReleaseInfo, ReleaseStageStatus } from '../models';
import { envFlag, versionsOf } from './lookup';
import type { CommandContext, CommandSpec, Outcome, ParsedArgs } from './types';

const LIMIT = 20;

/** Azure DevOps releases / pipeline runs that carry models, with each stage's status. */
export const releasesCommand: CommandSpec = {
  name: 'releases',
  summary: 'Azure DevOps releases of models and the status of their stages',
  usage: 'releases [<model>] [--env E]',
  examples: ['releases', 'releases taxi-model', 'releases --env prod'],
  args: [{ name: 'model', required: false, description: 'Only releases of this model' }],
  flags: [{ name: 'env', kind: 'string', description: 'Only releases to this environment' }],
  permission: 'anyone',
  async handler(ctx: CommandContext, args: ParsedArgs): Promise<Outcome> {
    const env = envFlag(ctx.settings, args);
    const model = args.positional.model;
    if (model !== undefined) await versionsOf(ctx.ports, ctx.settings.source, model);
    const found = await ctx.ports.releases.list({ env: env?.name, model, limit: LIMIT });
    const sorted = [...found].sort(newestFirst).slice(0, LIMIT);
    const scope = [model, env ? `to ${env.name}` : undefined].filter(Boolean).join(' ');
    return {
      status: 'ok',
      visibility: 'public',
      reply: card('releases', {
        title: scope ? `Releases of ${scope}` : 'Releases',
        subtitle: sorted.length === 0 ? 'No releases found.' : `${plural(sorted.length, 'release')}, newest first.`,
        rows: sorted.map((r) => ({
          release: r.ref.name ?? `${r.ref.kind === 'pipeline' ? 'Run' : 'Release'} ${r.ref.id}`,
          model: r.modelName ? `${r.modelName}${r.modelVersion ? ` v${r.modelVersion}` : ''}` : '—',
          stages: stagesLine(r.stages),
          created: formatDateTime(r.createdAt),
        })),
      }),
    };
  },
};

function newestFirst(a: ReleaseInfo, b: ReleaseInfo): number {
  const ta = a.createdAt?.getTime() ?? 0;
  const tb = b.createdAt?.getTime() ?? 0;
  return tb - ta || b.ref.id - a.ref.id;
}

const LABEL: Record<ReleaseStageStatus['state'], string> = {
  not_started: 'not started',
  queued: 'queued',
  awaiting_approval: 'awaiting approval',
  in_progress: 'deploying',
  succeeded: 'succeeded',
  failed: 'failed',
  rejected: 'rejected',
  canceled: 'canceled',
};

export function stagesLine(stages: ReleaseStageStatus[]): string {
  return stages.length === 0 ? '—' : stages.map((s) => `${s.name}: ${LABEL[s.state] ?? s.state}`).join(' · ');
}
