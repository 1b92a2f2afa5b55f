import { card } from '../cards/views';
import { formatDateTime } from '../format/dates';
import { plural } from '../format/numbers';
import type { JobInfo } from '../models';
import { environment, flag, since } from './lookup';
import { mapLimit } from './map-limit';
import { orderedEnvs } from './placements';
import type { CommandContext, CommandSpec, Outcome, ParsedArgs } from './types';

const LIMIT = 30;

/** Recent Azure ML jobs of one environment, or of all of them. */
export const runsCommand: CommandSpec = {
  name: 'runs',
  summary: 'Recent Azure ML jobs (all environments unless --env)',
  usage: 'runs [--failed] [--since 24h] [--env E]',
  examples: ['runs', 'runs --failed --since 7d', 'runs --env prod'],
  args: [],
  flags: [
    { name: 'failed', kind: 'boolean', description: 'Only failed jobs' },
    { name: 'since', kind: 'string', description: 'How far back, e.g. 90m, 24h, 7d (default 24h)' },
    { name: 'env', kind: 'string', description: 'Only this environment' },
  ],
  permission: 'anyone',
  async handler(ctx: CommandContext, args: ParsedArgs): Promise<Outcome> {
    const envName = flag(args, 'env');
    const envs = envName === undefined ? orderedEnvs(ctx.settings) : [environment(ctx.settings, envName).name];
    const window = since(args, '24h', ctx.ports.clock.now());
    const failedOnly = args.flags.failed === true;
    const perEnv = await mapLimit(envs, 3, async (env) => {
      // Failures are rarer than runs: look further back through the list to find enough of them.
      const jobs = await ctx.ports.registry.listJobs(env, { since: window.from, limit: failedOnly ? LIMIT * 10 : LIMIT });
      return jobs.map((job) => ({ env, job }));
    });
    const jobs = perEnv
      .flat()
      .filter(({ job }) => !failedOnly || job.state === 'failed')
      .filter(({ job }) => job.createdAt === undefined || job.createdAt >= window.from)
      .sort((a, b) => (b.job.createdAt?.getTime() ?? 0) - (a.job.createdAt?.getTime() ?? 0));
    const shown = jobs.slice(0, LIMIT);
    const what = failedOnly ? 'Failed runs' : 'Runs';
    const where = envName === undefined ? 'all environments' : envs[0];
    return {
      status: 'ok',
      visibility: 'public',
      reply: card('runs', {
        title: `${what} in ${where}`,
        subtitle: subtitle(jobs.length, shown.length, window.text, failedOnly),
        rows: shown.map(({ env, job }) => ({
          name: job.displayName ?? job.name,
          experiment: envs.length > 1 ? `${experimentOf(job)} (${env})` : experimentOf(job),
          status: job.status || job.state,
          created: formatDateTime(job.createdAt),
        })),
      }),
    };
  },
};

const experimentOf = (job: JobInfo): string => job.experimentName ?? job.jobType ?? '—';

function subtitle(total: number, shown: number, window: string, failedOnly: boolean): string {
  if (total === 0) return `No ${failedOnly ? 'failed ' : ''}runs in the last ${window}.`;
  const more = shown < total ? `; newest ${shown} shown` : '';
  return `${plural(total, failedOnly ? 'failed run' : 'run')} in the last ${window}${more}.`;
}
