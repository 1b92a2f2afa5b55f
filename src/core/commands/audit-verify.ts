import { verifyStoreChain } from '../audit/chain';
import { card } from '../cards/views';
import { plural } from '../format/numbers';
import type { CommandContext, CommandSpec, Outcome } from './types';

const PAGE_SIZE = 500;

/** Recomputes the audit log's hash chain and says whether anything was altered. */
export const auditVerifyCommand: CommandSpec = {
  name: 'audit verify',
  summary: 'Check that the audit trail has not been altered (hash chain)',
  usage: 'audit verify',
  examples: ['audit verify'],
  args: [],
  flags: [],
  permission: 'anyone',
  async handler(ctx: CommandContext): Promise<Outcome> {
    const result = await verifyStoreChain(ctx.ports.store, PAGE_SIZE);
    const broken = result.firstBroken;
    if (!result.ok) ctx.log.warn({ checked: result.checked, firstBroken: broken }, 'audit chain broken');
    const verdict = result.ok
      ? `Chain intact: ${plural(result.checked, 'entry', 'entries')} checked.`
      : `Chain broken at entry #${broken?.seq ?? '?'}: ${broken?.reason ?? 'mismatch'}. ${plural(result.checked, 'entry', 'entries')} checked.`;
    return {
      // A broken chain is a failed check: the CLI's exit code and any script around it must say so.
      status: result.ok ? 'ok' : 'failed',
      visibility: 'public',
      reply: card('notice', {
        title: result.ok ? 'Audit chain verified' : 'Audit chain BROKEN',
        text: `${verdict} ${result.ok ? 'Every entry carries the hash of the one before it.' : 'An entry was altered, removed or inserted. Tell the bot operator.'}`,
        tone: result.ok ? 'good' : 'attention',
      }),
    };
  },
};
