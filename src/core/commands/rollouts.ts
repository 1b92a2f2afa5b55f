import { card } from '../cards/views';
import type { RolloutsView } from '../cards/views';
import { BotError } from '../errors';
import { stringFlag } from '../promotion/command-support';
import { canaryShare } from '../rollout/reduce-control';
import { ACTIVE_ROLLOUT_STATUSES } from '../rollout/types';
import { buildRolloutView } from '../rollout/view';
import { findEnvironment } from '../settings';
import { commandLine, moreButton, PAGE_FLAG, pageOf } from './paging';
import type { CommandSpec } from './types';

const usage = 'rollouts [--active] [--env E] [--page N]';
const PAGE_SIZE = 20;

/** Rollouts newest first, one page read from the store (a count and one page, whatever their number). */
export const rolloutsCommand: CommandSpec = {
  name: 'rollouts',
  summary: 'Progressive rollouts and where they stand, newest first.',
  usage,
  examples: ['rollouts', 'rollouts --active', 'rollouts --env prod'],
  args: [],
  flags: [
    { name: 'active', kind: 'boolean', description: 'Only running or paused rollouts' },
    { name: 'env', kind: 'string', description: 'Only rollouts in this environment' },
    PAGE_FLAG,
  ],
  permission: 'anyone',
  async handler(ctx, args) {
    const envName = stringFlag(args, 'env', usage);
    const env = envName === undefined ? undefined : findEnvironment(ctx.settings, envName);
    if (envName !== undefined && !env) {
      throw new BotError('unknown_env', `There is no environment "${envName}".`, { remedy: `Environments: ${ctx.settings.environments.map((e) => e.name).join(', ')}.` });
    }
    const active = args.flags.active === true;
    const page = pageOf(args);
    const { rollouts, total } = await ctx.ports.store.listRollouts({
      ...(active ? { statuses: ACTIVE_ROLLOUT_STATUSES } : {}), ...(env ? { env: env.name } : {}),
      limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE,
    });
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    if (page > pages) throw new BotError('usage', `There ${pages === 1 ? 'is only 1 page' : `are only ${pages} pages`}.`, { remedy: `Use --page 1…${pages}.` });
    const rows: RolloutsView['rows'] = rollouts.map((r) => ({
      id: r.id, model: `${r.model} v${r.version}`, where: `${r.endpoint} (${r.env})`,
      traffic: canaryShare(r),
      status: buildRolloutView(r).stateLabel, updated: `${r.updatedAt.slice(0, 16).replace('T', ' ')} UTC`,
    }));
    const hasMore = page < pages;
    const command = commandLine('rollouts', args);
    const what = `${active ? 'active ' : ''}rollout${total === 1 ? '' : 's'}${env ? ` in ${env.name}` : ''}`;
    const range = rows.length > 0 && pages > 1 ? `; page ${page} of ${pages} (${(page - 1) * PAGE_SIZE + 1}–${(page - 1) * PAGE_SIZE + rows.length})${hasMore ? `; \`${command} --page ${page + 1}\` for more` : ''}` : '';
    const subtitle = total === 0 ? `No ${what}.` : `${total} ${what}${range}`;
    return { status: 'ok', visibility: 'public', reply: card('rollouts', { title: 'Rollouts', subtitle, rows, actions: moreButton(command, page, hasMore) }) };
  },
};
