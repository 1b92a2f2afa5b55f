/**
 * `link` and `unlink` (DESIGN 9.6): a private answer with a sign-in link bound to the caller (once,
 * 10 minutes), and the removal of the link with its stored tokens.
 */
import { card } from '../cards/views';
import { formatDateTime } from '../format/dates';
import type { AccountLinking, AccountLinks } from '../ports';
import type { CommandContext, CommandSpec, Outcome } from './types';

const PLATFORM_NAME: Record<string, string> = { slack: 'Slack', teams: 'Teams', cli: 'command line' };

const warning = (title: string, text: string): Outcome => ({ status: 'failed', visibility: 'private', reply: card('notice', { title, text, tone: 'warning' }) });

const linkingOff = (): Outcome => warning('Linking is not set up',
  'This installation has no Entra sign-in configured (MLOPS_PUBLIC_URL, MLOPS_OAUTH_CLIENT_ID, MLOPS_TOKEN_KEY). Ask the bot operator; approvals are recorded as the bot meanwhile.');

/** Nothing says which Entra account is the caller's: a link would let whoever signs in become them. */
const unvouched = (platform: string): Outcome => warning('Your work account is not known',
  `${PLATFORM_NAME[platform] ?? platform} did not give the bot your Entra object id or email, so it cannot check who signs in. Nothing was started. Ask the bot operator to let the bot read profile emails (Slack scope users:read.email).`);

function linksOf(ctx: CommandContext): (AccountLinks & AccountLinking) | undefined {
  return ctx.ports.accountLinks;
}

export const linkCommand: CommandSpec = {
  name: 'link',
  summary: 'Link your chat account to your Entra account, so Azure DevOps records your approvals as you',
  usage: 'link',
  examples: ['link'],
  args: [],
  flags: [],
  permission: 'anyone',
  async handler(ctx: CommandContext): Promise<Outcome> {
    const links = linksOf(ctx);
    if (!links) return linkingOff();
    const { caller } = ctx.invocation;
    // What the platform vouches for (Teams: the Entra object id; Slack: the profile email) is who may finish the sign-in.
    const email = caller.email ?? (caller.aadObjectId ? undefined : await ctx.ports.directory.emailOf(caller.id));
    if (!caller.aadObjectId && !email && caller.platform !== 'cli') return unvouched(caller.platform);
    const [current, started] = await Promise.all([
      links.linkedAccount(caller.id),
      links.begin({ chatUserId: caller.id, platform: caller.platform, displayName: caller.displayName, ...(caller.aadObjectId ? { aadObjectId: caller.aadObjectId } : {}), ...(email ? { email } : {}) }),
    ]);
    const you = `${caller.id}${caller.displayName ? ` (${caller.displayName})` : ''}`;
    const facts = [
      { title: 'Chat account', value: `${you}, ${PLATFORM_NAME[caller.platform] ?? caller.platform}` },
      ...(current ? [{ title: 'Linked now', value: `${current.displayName} (${current.userPrincipalName}); signing in again replaces it` }] : []),
      ...(caller.aadObjectId ? [{ title: 'Sign in as', value: `the Entra account ${caller.aadObjectId} (the one Teams knows you by)` }] : email ? [{ title: 'Sign in as', value: email }] : []),
      { title: 'Link valid until', value: `${formatDateTime(started.expiresAt)} (once)` },
    ];
    return {
      status: 'ok', visibility: 'private',
      reply: card('account-link', {
        title: 'Link your Entra account',
        text: 'Sign in with your work account. Afterwards, approvals you give here are granted in Azure DevOps as you, not as the bot. The link is for you only: do not share it.',
        facts,
        links: [{ title: 'Sign in with Microsoft', url: started.url }],
      }),
    };
  },
};

export const unlinkCommand: CommandSpec = {
  name: 'unlink',
  summary: 'Remove the link between your chat account and your Entra account (and the stored sign-in)',
  usage: 'unlink',
  examples: ['unlink'],
  args: [],
  flags: [],
  permission: 'anyone',
  async handler(ctx: CommandContext): Promise<Outcome> {
    const links = linksOf(ctx);
    if (!links) return linkingOff();
    const removed = await links.unlink(ctx.invocation.caller.id);
    if (!removed) {
      return { status: 'not_found', visibility: 'private', reply: card('notice', { title: 'Nothing to unlink', text: `${ctx.invocation.caller.id} is not linked to an Entra account. \`link\` links one.`, tone: 'info' }) };
    }
    return {
      status: 'ok', visibility: 'private',
      reply: card('notice', { title: 'Account unlinked', text: `${removed.chatUserId} is no longer linked to ${removed.displayName} (${removed.userPrincipalName}); its stored sign-in is deleted. Approvals you give are recorded as the bot again.`, tone: 'good' }),
    };
  },
};
