import type { CardMessage } from '../../src/core/cards/views';
import type { Chat, MessageRef } from '../../src/core/ports';

/** Records every post and update; `failNext` makes the next call throw (for retry tests). */
export class FakeChat implements Chat {
  posts: { ref: MessageRef; message: CardMessage }[] = [];
  updates: { ref: MessageRef; message: CardMessage }[] = [];
  failNext = 0;
  private seq = 0;

  async post(channel: string, message: CardMessage): Promise<MessageRef> {
    this.maybeFail();
    const ref = { channel, messageId: `m${++this.seq}` };
    this.posts.push({ ref, message });
    return ref;
  }
  async update(ref: MessageRef, message: CardMessage): Promise<void> {
    this.maybeFail();
    this.updates.push({ ref, message });
  }
  /** The latest version of a posted message (after updates). */
  latest(ref: MessageRef): CardMessage | undefined {
    const u = [...this.updates].reverse().find((x) => x.ref.channel === ref.channel && x.ref.messageId === ref.messageId);
    return u?.message ?? this.posts.find((p) => p.ref.messageId === ref.messageId)?.message;
  }
  inChannel(channel: string): { ref: MessageRef; message: CardMessage }[] {
    return this.posts.filter((p) => p.ref.channel === channel);
  }
  private maybeFail(): void {
    if (this.failNext > 0) { this.failNext--; throw Object.assign(new Error('chat unavailable'), { retryAfterMs: 10 }); }
  }
}
