/** `audit show <n>`: one audit entry in full (details, time, whole hash), as audit posts point to it. */
import { auditEntryCard } from '../audit/post';
import { BotError } from '../errors';
import type { CommandContext, CommandSpec, Outcome, ParsedArgs } from './types';

export const auditShowCommand: CommandSpec = {
  name: 'audit show',
  summary: 'One audit entry in full, with its hash',
  usage: 'audit show <entry>',
  examples: ['audit show 42'],
  args: [{ name: 'entry', required: true, description: 'Entry number, as audit posts and `audit` show it (#42 or 42)' }],
  flags: [],
  permission: 'anyone',
  async handler(ctx: CommandContext, args: ParsedArgs): Promise<Outcome> {
    const raw = (args.positional.entry ?? '').trim();
    const m = /^#?(\d{1,12})$/.exec(raw);
    if (!m || Number(m[1]) < 1) {
      throw new BotError('usage', `'${raw.slice(0, 20)}' is not an entry number.`, { remedy: 'For example `audit show 42`; `audit` lists the entries with their numbers.' });
    }
    const seq = Number(m[1]);
    const [entry] = await ctx.ports.store.readAuditChain(seq - 1, 1);
    if (!entry || entry.seq !== seq) {
      throw new BotError('not_found', `There is no audit entry #${seq}.`, { remedy: 'Type `audit` to list the entries with their numbers.', details: { seq } });
    }
    return { status: 'ok', visibility: 'public', reply: auditEntryCard(entry, entry) };
  },
};
