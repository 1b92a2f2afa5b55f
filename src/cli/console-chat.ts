/**
 * The `cli:` chat surface: channels such as `cli:approvals` live in the store (so the CLI and the
 * server see the same messages across restarts) and every post or edit is handed to a listener,
 * which the CLI prints.
 */
import type { CardMessage } from '../core/cards/views';
import type { Chat, MessageRef, Store } from '../core/ports';

export interface ConsoleMessage { ref: MessageRef; message: CardMessage; edited: boolean; at: string }

const NS = 'cli-messages';

export class ConsoleChat implements Chat {
  constructor(
    private readonly store: Store,
    private readonly onMessage: (m: ConsoleMessage) => void,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async post(channel: string, message: CardMessage): Promise<MessageRef> {
    const ref = { channel, messageId: `${this.now().getTime().toString(36)}-${Math.random().toString(36).slice(2, 8)}` };
    await this.save({ ref, message, edited: false, at: this.now().toISOString() });
    return ref;
  }

  async update(ref: MessageRef, message: CardMessage): Promise<void> {
    await this.save({ ref, message, edited: true, at: this.now().toISOString() });
  }

  private async save(m: ConsoleMessage): Promise<void> {
    await this.store.putDoc(NS, `${m.ref.channel}/${m.ref.messageId}`, m);
    this.onMessage(m);
  }
}
