import { card } from '../cards/views';
import type { RequestsView } from '../cards/views';
import { BotError } from '../errors';
import { stringFlag } from '../promotion/command-support';
import { stateLabel } from '../promotion/view';
import { findEnvironment } from '../settings';
import { commandLine, moreButton, PAGE_FLAG, pageNote, pageOf, pageSlice } from './paging';
import type { CommandSpec } from './types';

const usage = 'requests [--pending] [--env E] [--page N]';
const PAGE_SIZE = 25;

export const requestsCommand: CommandSpec = {
  name: 'requests',
  summary: 'Promotion requests and their state, newest first.',
  usage,
  examples: ['requests', 'requests --pending', 'requests --env prod'],
  args: [],
  flags: [
    { name: 'pending', kind: 'boolean', description: 'Only requests waiting for approval' },
    { name: 'env', kind: 'string', description: 'Only requests to this environment' },
    PAGE_FLAG,
  ],
  permission: 'anyone',
  async handler(ctx, args) {
    const pending = args.flags.pending === true;
    const envName = stringFlag(args, 'env', usage);
    const env = envName === undefined ? undefined : findEnvironment(ctx.settings, envName);
    if (envName !== undefined && !env) {
      throw new BotError('unknown_env', `There is no environment "${envName}".`, { remedy: `Environments: ${ctx.settings.environments.map((e) => e.name).join(', ')}.` });
    }
    const found = await ctx.ports.store.listRequests({
      ...(pending ? { states: ['awaiting_approval'] } : {}),
      ...(env ? { env: env.name } : {}),
    });
    const newest = [...found].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
    const page = pageOf(args);
    const shown = pageSlice(newest, page, PAGE_SIZE);
    const hasMore = shown.page < shown.pages;
    const command = commandLine('requests', args);
    const rows: RequestsView['rows'] = shown.rows.map((r) => ({
      id: r.id,
      model: r.traffic ? `traffic of ${r.traffic.endpoint}` : `${r.model} v${r.version}`,
      target: r.targetEnv,
      state: stateLabel(r),
      requester: r.requester.name,
      updated: `${r.updatedAt.slice(0, 16).replace('T', ' ')} UTC`,
    }));
    const what = `${pending ? 'pending ' : ''}request${newest.length === 1 ? '' : 's'}${env ? ` to ${env.name}` : ''}`;
    const subtitle = rows.length === 0
      ? `No ${pending ? 'pending ' : ''}requests${env ? ` to ${env.name}` : ''}.`
      : `${newest.length} ${what}${pageNote(shown, command, hasMore)}`;
    return { status: 'ok', visibility: 'public', reply: card('requests', { title: 'Promotion requests', subtitle, rows, actions: moreButton(command, page, hasMore) }) };
  },
};
