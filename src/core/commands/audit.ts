import type { AuditEntry } from '../audit/types';
import { card } from '../cards/views';
import { formatDateTime } from '../format/dates';
import { plural } from '../format/numbers';
import { envFlag, flag, since } from './lookup';
import { commandLine, moreButton, PAGE_FLAG, pageNote, pageOf, pageSlice } from './paging';
import type { CommandContext, CommandSpec, Outcome, ParsedArgs } from './types';

const PAGE_SIZE = 50;

/** The audit trail, newest first, narrowed by model, environment and time. */
export const auditCommand: CommandSpec = {
  name: 'audit',
  summary: 'The audit trail: who did what, when',
  usage: 'audit [--model M] [--since 7d] [--env E] [--page N]',
  examples: ['audit', 'audit --model taxi-model --since 30d', 'audit --env prod'],
  args: [],
  flags: [
    { name: 'model', kind: 'string', description: 'Only entries about this model' },
    { name: 'since', kind: 'string', description: 'How far back, e.g. 24h, 7d, 4w (default 7d)' },
    { name: 'env', kind: 'string', description: 'Only entries about this environment' },
    PAGE_FLAG,
  ],
  permission: 'anyone',
  async handler(ctx: CommandContext, args: ParsedArgs): Promise<Outcome> {
    const env = envFlag(ctx.settings, args)?.name;
    const model = flag(args, 'model');
    const window = since(args, '7d', ctx.ports.clock.now());
    const page = pageOf(args);
    // The store is local: every entry of the window is read, so the total is exact.
    const entries = await ctx.ports.store.listAudit({ model, env, since: window.from });
    const shown = pageSlice([...entries].sort((a, b) => b.seq - a.seq), page, PAGE_SIZE);
    const rows = shown.rows;
    const hasMore = shown.page < shown.pages;
    const command = commandLine('audit', args);
    const scope = [model, env].filter(Boolean).join(' in ');
    return {
      status: 'ok',
      visibility: 'public',
      reply: card('audit-list', {
        title: scope ? `Audit trail: ${scope}` : 'Audit trail',
        subtitle: rows.length === 0 ? `No entries in the last ${window.text}.` : `${plural(entries.length, 'entry', 'entries')} in the last ${window.text}, newest first${pageNote(shown, command, hasMore)}.`,
        rows: rows.map((e) => ({
          seq: `#${e.seq}`,
          at: formatDateTime(e.at),
          actor: e.actor,
          action: e.action,
          subject: subjectOf(e),
        })),
        verdict: 'Type `audit verify` to check the hash chain.',
        actions: moreButton(command, page, hasMore),
      }),
    };
  },
};

export function subjectOf(e: AuditEntry): string {
  const version = typeof e.detail.version === 'string' || typeof e.detail.version === 'number' ? ` v${e.detail.version}` : '';
  const parts = [e.model ? `${e.model}${version}` : undefined, e.env ? `→ ${e.env}` : undefined, e.requestId];
  const command = typeof e.detail.command === 'string' ? e.detail.command : undefined;
  const text = parts.filter(Boolean).join(' ');
  return text || command || '—';
}
