import { card } from '../cards/views';
import { formatDateTime } from '../format/dates';
import { plural } from '../format/numbers';
import type { ReleaseInfo, ReleaseStageStatus } from '../models';
import type { ReleaseSearch } from '../ports';
import { envFlag, recentVersionsOf } from './lookup';
import { commandLine, countText, moreButton, PAGE_FLAG, pageNote, pageOf, pageSlice } from './paging';
import type { CommandContext, CommandSpec, Outcome, ParsedArgs } from './types';

const PAGE_SIZE = 20;

/** Azure DevOps releases / pipeline runs that carry models, with each stage's status. */
export const releasesCommand: CommandSpec = {
  name: 'releases',
  summary: 'Azure DevOps releases of models and the status of their stages',
  usage: 'releases [<model>] [--env E] [--page N]',
  examples: ['releases', 'releases taxi-model', 'releases --env prod'],
  args: [{ name: 'model', required: false, description: 'Only releases of this model' }],
  flags: [{ name: 'env', kind: 'string', description: 'Only releases to this environment' }, PAGE_FLAG],
  permission: 'anyone',
  async handler(ctx: CommandContext, args: ParsedArgs): Promise<Outcome> {
    const env = envFlag(ctx.settings, args);
    const model = args.positional.model;
    const page = pageOf(args);
    // The model check and the search side by side; the search stops once this page is filled.
    const [, found] = await Promise.all([
      model !== undefined ? recentVersionsOf(ctx.ports, ctx.settings.source, model, 1) : Promise.resolve(undefined),
      ctx.ports.releases.search({ env: env?.name, model, want: page * PAGE_SIZE + 1 }),
    ]);
    const sorted = [...found.releases].sort(newestFirst);
    const shown = pageSlice(sorted, page, PAGE_SIZE, found.complete);
    const hasMore = shown.page < shown.pages;
    const command = commandLine('releases', args);
    const scope = [model, env ? `to ${env.name}` : undefined].filter(Boolean).join(' ');
    return {
      status: 'ok',
      visibility: 'public',
      reply: card('releases', {
        title: scope ? `Releases of ${scope}` : 'Releases',
        subtitle: subtitle(sorted.length, found, model) + pageNote(shown, command, hasMore),
        rows: shown.rows.map((r) => ({
          release: r.ref.name ?? `${r.ref.kind === 'pipeline' ? 'Run' : 'Release'} ${r.ref.id}`,
          model: r.modelName ? `${r.modelName}${r.modelVersion ? ` v${r.modelVersion}` : ''}` : '—',
          stages: stagesLine(r.stages),
          created: formatDateTime(r.createdAt),
        })),
        actions: moreButton(command, page, hasMore),
      }),
    };
  },
};

/** Exact when every release was read; otherwise how far the search went. */
function subtitle(n: number, found: ReleaseSearch, model: string | undefined): string {
  if (n === 0) {
    return found.complete ? 'No releases found.' : `None in the newest ${plural(found.searched, 'release')}; older ones were not searched.`;
  }
  const count = countText(n, found.complete, 'release');
  const scope = !found.complete && model !== undefined ? ` in the newest ${found.searched}` : '';
  return `${count}${scope}, newest first`;
}

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
