import type { CardMessage } from '../../src/core/cards/views';
import type { Chat, MessageRef } from '../../src/core/ports';

/** A chat that keeps every post and update in order; message ids are `m1`, `m2`… by post. */
export class RecordingChat implements Chat {
  posts: { channel: string; message: CardMessage }[] = [];
  updates: { ref: MessageRef; message: CardMessage }[] = [];
  async post(channel: string, message: CardMessage): Promise<MessageRef> {
    this.posts.push({ channel, message });
    return { channel, messageId: `m${this.posts.length}` };
  }
  async update(ref: MessageRef, message: CardMessage): Promise<void> { this.updates.push({ ref, message }); }
  in(channel: string): CardMessage[] { return this.posts.filter((p) => p.channel === channel).map((p) => p.message); }
}
