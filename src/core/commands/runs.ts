import { card } from '../cards/views';
import { formatDateTime } from '../format/dates';
import type { JobInfo } from '../models';
import { environment, flag, since } from './lookup';
import { mapLimit } from './map-limit';
import { commandLine, countText, moreButton, PAGE_FLAG, pageNote, pageOf, pageSlice } from './paging';
import { orderedEnvs } from './placements';
import type { CommandContext, CommandSpec, Outcome, ParsedArgs } from './types';

const PAGE_SIZE = 30;
/** Pages of jobs read one after another per environment (the service has no time filter). */
const MAX_PAGES = 3;

/** Recent Azure ML jobs of one environment, or of all of them. */
export const runsCommand: CommandSpec = {
  name: 'runs',
  summary: 'Recent Azure ML jobs (all environments unless --env)',
  usage: 'runs [--failed] [--since 24h] [--env E] [--page N]',
  examples: ['runs', 'runs --failed --since 7d', 'runs --env prod'],
  args: [],
  flags: [
    { name: 'failed', kind: 'boolean', description: 'Only failed jobs' },
    { name: 'since', kind: 'string', description: 'How far back, e.g. 90m, 24h, 7d (default 24h)' },
    { name: 'env', kind: 'string', description: 'Only this environment' },
    PAGE_FLAG,
  ],
  permission: 'anyone',
  async handler(ctx: CommandContext, args: ParsedArgs): Promise<Outcome> {
    const envName = flag(args, 'env');
    const envs = envName === undefined ? orderedEnvs(ctx.settings) : [environment(ctx.settings, envName).name];
    const window = since(args, '24h', ctx.ports.clock.now());
    const page = pageOf(args);
    const failedOnly = args.flags.failed === true;
    // Every environment at once; each walks its pages (newest first) to the end of the window, or
    // until the budget of sequential pages is spent, and then says the count is a lower bound.
    const perEnv = await mapLimit(envs, envs.length, async (env) => {
      const { jobs, complete } = await ctx.ports.registry.jobsSince(env, window.from, MAX_PAGES);
      return { complete, jobs: jobs.map((job) => ({ env, job })) };
    });
    const exact = perEnv.every((e) => e.complete);
    const jobs = perEnv
      .flatMap((e) => e.jobs)
      .filter(({ job }) => !failedOnly || job.state === 'failed')
      .filter(({ job }) => job.createdAt === undefined || job.createdAt >= window.from)
      .sort((a, b) => (b.job.createdAt?.getTime() ?? 0) - (a.job.createdAt?.getTime() ?? 0));
    const shown = pageSlice(jobs, page, PAGE_SIZE, exact);
    const hasMore = shown.page < shown.pages;
    const command = commandLine('runs', args);
    const what = failedOnly ? 'Failed runs' : 'Runs';
    const where = envName === undefined ? 'all environments' : envs[0];
    const partial = exact ? '' : ` (older pages of ${perEnv.filter((e) => !e.complete).length === envs.length ? 'every environment' : 'some environments'} not read)`;
    return {
      status: 'ok',
      visibility: 'public',
      reply: card('runs', {
        title: `${what} in ${where}`,
        subtitle: jobs.length === 0 && exact
          ? `No ${failedOnly ? 'failed ' : ''}runs in the last ${window.text}.`
          : `${countText(jobs.length, exact, failedOnly ? 'failed run' : 'run')} in the last ${window.text}${partial}${pageNote(shown, command, hasMore)}.`,
        rows: shown.rows.map(({ env, job }) => ({
          name: job.displayName ?? job.name,
          experiment: envs.length > 1 ? `${experimentOf(job)} (${env})` : experimentOf(job),
          status: statusOf(job),
          created: formatDateTime(job.createdAt),
        })),
        actions: moreButton(command, page, hasMore),
      }),
    };
  },
};

const experimentOf = (job: JobInfo): string => job.experimentName ?? job.jobType ?? '—';

/** A job that failed says why in its status: the first line of its error, as the failure card shows it. */
function statusOf(job: JobInfo): string {
  const status = job.status || job.state;
  const first = job.error?.split('\n').map((l) => l.trim()).find((l) => l !== '');
  if (!first) return status;
  return `${status}: ${first.length > 100 ? `${first.slice(0, 99)}…` : first}`;
}
