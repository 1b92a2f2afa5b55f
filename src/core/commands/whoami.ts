import { rolesOf } from '../access';
import { card, type Fact } from '../cards/views';
import { formatDateTime } from '../format/dates';
import { describeRules } from '../policy/describe';
import { freezeLine } from '../policy/freeze-check';
import { activeFreezes, listAdhoc } from '../policy/freezes';
import type { CommandContext, CommandSpec, Outcome } from './types';

/** The caller as the bot resolves them, and what they may do in each environment. */
export const whoamiCommand: CommandSpec = {
  name: 'whoami',
  summary: 'Your identity as the bot sees it, and your roles per environment',
  usage: 'whoami',
  examples: ['whoami'],
  args: [],
  flags: [],
  permission: 'anyone',
  async handler(ctx: CommandContext): Promise<Outcome> {
    const { caller } = ctx.invocation;
    const directory = ctx.ports.directory;
    const email = caller.email ?? (await directory.emailOf(caller.id));
    const facts: Fact[] = [
      { title: 'Id', value: caller.id },
      { title: 'Name', value: caller.displayName || '—' },
      { title: 'Email', value: email ?? 'unknown' },
      { title: 'Platform', value: caller.platform },
    ];
    if (caller.aadObjectId) facts.push({ title: 'Entra object id', value: caller.aadObjectId });
    const links = ctx.ports.accountLinks;
    if (links) {
      const linked = await links.linkedAccount(caller.id);
      facts.push({
        title: 'Linked Entra account',
        value: linked ? `${linked.displayName} (${linked.userPrincipalName}), object id ${linked.objectId}, since ${formatDateTime(linked.linkedAt)}` : 'none: approvals are recorded as the bot (`link` links yours)',
      });
    }
    const rules = describeRules(ctx.settings);
    if (rules.length > 0) facts.push({ title: 'Model rules', value: rules.join('; ') });
    const frozen = activeFreezes(ctx.settings, await listAdhoc(ctx.ports.store), ctx.ports.clock.now());
    if (frozen.length > 0) facts.push({ title: 'Frozen now', value: frozen.map(freezeLine).join('; ') });
    // The email found above is used for matching, so an email-listed approver shows as one.
    const roles = await rolesOf({ ...caller, ...(email ? { email } : {}) }, ctx.settings, directory);
    return {
      status: 'ok',
      visibility: 'private',
      reply: card('whoami', {
        title: `You are ${caller.displayName || caller.id}`,
        facts,
        roles: roles.map((r) => ({ env: r.env, roles: r.roles.length > 0 ? r.roles.join(', ') : 'none' })),
      }),
    };
  },
};
