/**
 * Outbound Chat for `teams:` channels: posts and edits through stored conversation references
 * (continueConversation), so it works after a restart and from any replica.
 */
import type { TeamsAttachment } from '../../cards/render';
import type { CardMessage } from '../../core/cards/views';
import { BotError } from '../../core/errors';
import type { Chat, MessageRef } from '../../core/ports';
import type { ConversationBook } from './conversations';
import type { StoredReference, Transport } from './types';

export interface TeamsChatDeps {
  transport: Transport;
  book: ConversationBook;
  render(message: CardMessage): Promise<TeamsAttachment>;
}

export class TeamsChat implements Chat {
  constructor(private readonly deps: TeamsChatDeps) {}

  async post(channel: string, message: CardMessage): Promise<MessageRef> {
    const reference = await this.referenceFor(channel);
    const messageId = await this.deps.transport.send(reference, { attachments: [await this.deps.render(message)] });
    // The channel is returned as given (alias or id): the outbox compares it to what it asked for.
    return { channel, messageId };
  }

  async update(ref: MessageRef, message: CardMessage): Promise<void> {
    const reference = await this.referenceFor(ref.channel);
    await this.deps.transport.update(reference, ref.messageId, { attachments: [await this.deps.render(message)] });
  }

  private async referenceFor(channel: string): Promise<StoredReference> {
    if (!channel.startsWith('teams:')) throw new BotError('internal', `The Teams chat cannot post to ${channel}.`);
    const reference = await this.deps.book.resolve(channel);
    if (reference) return reference;
    const [missing] = await this.deps.book.missing([channel]);
    throw new BotError('config_invalid', `The bot has no Teams conversation reference for ${channel}.`, { remedy: missing?.fix, details: { channel } });
  }
}
