/**
 * Conversation references in the store (namespace `teams-conversations`, key = conversation id), so
 * proactive posts survive a restart and work from any replica. Also: aliases that map a configured
 * name (`teams:demo-approvals`) to a real conversation, and the Teams user id (MRI) of each Entra
 * object id seen, which card refresh lists need.
 */
import type { Store } from '../../core/ports';
import type { InboundActivity, StoredReference } from './types';

export const CONVERSATIONS = 'teams-conversations';
export const ALIASES = 'teams-aliases';
export const USERS = 'teams-users';
/** The bot's 1:1 chat with each user (key = the user's Teams id), where private answers go. */
export const PERSONAL_CHATS = 'teams-personal-chats';

export interface ConversationDoc { reference: StoredReference; type: string; name?: string; updatedAt: string }
export interface AliasDoc { conversationId: string; linkedAt: string }
export interface UserDoc { id: string; name?: string }
export interface PersonalChatDoc { conversationId: string; updatedAt: string }
export interface KnownConversation { conversationId: string; serviceUrl: string; conversationType?: string; tenantId?: string; botId?: string }
export interface MissingReference { channel: string; fix: string }

/** A channel thread (`19:…@thread.tacv2;messageid=…`) posts proactively to its channel. */
export function baseConversationId(id: string): string {
  return id.replace(/;messageid=\d+$/i, '');
}

export class ConversationBook {
  /**
   * `serviceUrlAllowed` is the connector allow-list: a reference pointing elsewhere is never stored,
   * and one stored before (an older version, another mode) is treated as unknown.
   */
  constructor(
    private readonly store: Store,
    private readonly now: () => Date = () => new Date(),
    private readonly serviceUrlAllowed: (url: unknown) => boolean = () => true,
  ) {}

  /** Refreshes the reference on every inbound activity: `serviceUrl` can change. */
  async remember(reference: StoredReference, activity: InboundActivity): Promise<string> {
    this.check(reference);
    const id = baseConversationId(reference.conversation.id);
    // Without activityId a proactive post starts a new message instead of replying to an old one.
    const { activityId: _old, ...rest } = reference;
    const stored: StoredReference = { ...rest, conversation: { ...reference.conversation, id } };
    const doc: ConversationDoc = {
      reference: stored, type: activity.conversation?.conversationType ?? 'personal',
      ...(activity.conversation?.name ? { name: activity.conversation.name } : {}), updatedAt: this.now().toISOString(),
    };
    await this.store.putDoc(CONVERSATIONS, id, doc);
    const from = activity.from;
    if (from?.aadObjectId && from.id) await this.store.putDoc<UserDoc>(USERS, from.aadObjectId.toLowerCase(), { id: from.id, ...(from.name ? { name: from.name } : {}) });
    if (doc.type === 'personal' && from?.id) await this.putPersonal(from.id, id);
    return id;
  }

  /** A 1:1 chat the bot opened itself (no inbound activity to learn it from). */
  async rememberPersonal(userId: string, reference: StoredReference): Promise<string> {
    this.check(reference);
    const id = baseConversationId(reference.conversation.id);
    const { activityId: _old, ...rest } = reference;
    const stored: StoredReference = { ...rest, conversation: { ...reference.conversation, id } };
    await this.store.putDoc<ConversationDoc>(CONVERSATIONS, id, { reference: stored, type: 'personal', updatedAt: this.now().toISOString() });
    await this.putPersonal(userId, id);
    return id;
  }

  /** The stored reference of the bot's 1:1 chat with this user, if any. */
  async personalChatOf(userId: string): Promise<StoredReference | null> {
    const doc = await this.store.getDoc<PersonalChatDoc>(PERSONAL_CHATS, userId);
    return doc ? this.resolve(`teams:${doc.conversationId}`) : null;
  }

  private async putPersonal(userId: string, conversationId: string): Promise<void> {
    await this.store.putDoc<PersonalChatDoc>(PERSONAL_CHATS, userId, { conversationId, updatedAt: this.now().toISOString() });
  }

  private check(reference: StoredReference): void {
    if (!this.serviceUrlAllowed(reference.serviceUrl)) throw new Error('Refusing to store a Teams conversation reference whose serviceUrl is not an allowed connector.');
  }

  /**
   * Records a conversation the bot has not heard from yet but whose connector is known (the Agents
   * Playground's fixed chats at start-up), so proactive posts can reach it.
   */
  async adopt(c: KnownConversation): Promise<void> {
    if (!this.serviceUrlAllowed(c.serviceUrl)) throw new Error(`Refusing to record Teams conversation ${c.conversationId}: its serviceUrl is not an allowed connector.`);
    const id = baseConversationId(c.conversationId);
    const reference: StoredReference = {
      channelId: 'msteams', serviceUrl: c.serviceUrl, bot: { id: c.botId ?? '', name: 'MLOps' },
      conversation: { id, ...(c.conversationType ? { conversationType: c.conversationType } : {}), ...(c.tenantId ? { tenantId: c.tenantId } : {}) },
    };
    const existing = await this.store.getDoc<ConversationDoc>(CONVERSATIONS, id);
    // A reference learnt from Teams itself is better than a constructed one; one that names no bot
    // (constructed before the bot's id was known) cannot be sent on, and is replaced.
    if (existing && namesBot(existing.reference)) return;
    await this.store.putDoc<ConversationDoc>(CONVERSATIONS, id, { reference, type: c.conversationType ?? 'personal', updatedAt: this.now().toISOString() });
  }

  async forget(conversationId: string): Promise<void> {
    await this.store.deleteDoc(CONVERSATIONS, baseConversationId(conversationId));
  }

  /**
   * `teams:<conversation id>` or `teams:<alias>` → the stored reference; a person (`teams:<user id>`
   * or `teams:<aad object id>`, the principal ids) → the bot's 1:1 chat with them, when it has one.
   */
  async resolve(channel: string): Promise<StoredReference | null> {
    const id = teamsId(channel);
    if (id === null) return null;
    const direct = await this.store.getDoc<ConversationDoc>(CONVERSATIONS, baseConversationId(id));
    if (direct) return this.usable(direct.reference);
    const alias = await this.store.getDoc<AliasDoc>(ALIASES, id);
    if (alias) return this.usable((await this.store.getDoc<ConversationDoc>(CONVERSATIONS, alias.conversationId))?.reference ?? null);
    const personal = await this.store.getDoc<PersonalChatDoc>(PERSONAL_CHATS, (await this.userIdOf(id)) ?? id);
    return personal ? this.usable((await this.store.getDoc<ConversationDoc>(CONVERSATIONS, personal.conversationId))?.reference ?? null) : null;
  }

  private usable(reference: StoredReference | null): StoredReference | null {
    return reference && this.serviceUrlAllowed(reference.serviceUrl) ? reference : null;
  }

  async link(channel: string, conversationId: string): Promise<void> {
    const id = teamsId(channel);
    if (id === null) throw new Error(`${channel} is not a teams: channel`);
    await this.store.putDoc<AliasDoc>(ALIASES, id, { conversationId: baseConversationId(conversationId), linkedAt: this.now().toISOString() });
  }

  async isLinked(channel: string): Promise<boolean> {
    const id = teamsId(channel);
    return id !== null && (await this.store.getDoc<AliasDoc>(ALIASES, id)) !== null;
  }

  /** The Teams user id seen for an Entra object id, when that user has talked to the bot. */
  async userIdOf(aadObjectId: string): Promise<string | undefined> {
    return (await this.store.getDoc<UserDoc>(USERS, aadObjectId.toLowerCase()))?.id;
  }

  /** Configured `teams:` channels the bot cannot post to yet, each with the fix. */
  async missing(channels: readonly string[]): Promise<MissingReference[]> {
    const out: MissingReference[] = [];
    for (const channel of new Set(channels)) {
      if (teamsId(channel) === null || (await this.resolve(channel)) !== null) continue;
      out.push({
        channel,
        fix: 'Install the MLOps app in that team (or add it to that chat), or send the bot one message there; for a personal chat, chat with the bot once. The conversation id must be the one Teams uses (19:…@thread.tacv2 for a channel).',
      });
    }
    return out;
  }
}

function teamsId(channel: string): string | null {
  return channel.startsWith('teams:') && channel.length > 'teams:'.length ? channel.slice('teams:'.length) : null;
}

function namesBot(reference: StoredReference): boolean {
  const bot = (reference['agent'] ?? reference['bot']) as { id?: unknown } | undefined;
  return typeof bot?.id === 'string' && bot.id !== '';
}
