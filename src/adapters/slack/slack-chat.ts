/**
 * The Chat port for `slack:` channels: cards posted with chat.postMessage and edited in place with
 * chat.update. A user id as the target opens (or reuses) the DM with conversations.open, and the
 * returned ref names the DM channel, so later edits land on the same message.
 */
import type { WebClient } from '@slack/web-api';
import type { CardMessage } from '../../core/cards/views';
import type { Chat, MessageRef, PostOptions } from '../../core/ports';
import { imageMissing } from '../../core/cards/views';
import type { Logger } from '../../core/ports';
import { slackContent, type SlackContent } from './blocks';
import { contentWithImage, UPLOAD_FAILED } from './chart-upload';
import { bareId, isUserId, qualified } from './ids';
import { platformCode, slackError } from './slack-errors';

/** Message metadata type of the bot's posts (the outbox key rides in its payload). */
const MARKER_EVENT = 'mlops_bot_post';

export class SlackChat implements Chat {
  /** DM channel per user: conversations.open is Tier 3, and the DM id never changes. */
  private readonly dms = new Map<string, string>();

  constructor(private readonly client: WebClient, private readonly log?: Logger) {}

  async post(channel: string, message: CardMessage, opts: PostOptions = {}): Promise<MessageRef> {
    const target = await this.conversationFor(bareId(channel));
    const metadata = opts.marker ? { metadata: { event_type: MARKER_EVENT, event_payload: { key: opts.marker } } } : {};
    const send = async (content: SlackContent): Promise<MessageRef> => {
      const res = await this.client.chat.postMessage({ channel: target, ...content, unfurl_links: false, unfurl_media: false, ...metadata });
      return { channel: qualified(res.channel ?? target), messageId: String(res.ts) };
    };
    try {
      return await this.withPicture(message, send);
    } catch (e) {
      throw slackError('chat.postMessage', e, channel);
    }
  }

  async update(ref: MessageRef, message: CardMessage): Promise<void> {
    try {
      await this.withPicture(message, async (content) => { await this.client.chat.update({ channel: bareId(ref.channel), ts: ref.messageId, ...content }); });
    } catch (e) {
      throw slackError('chat.update', e, ref.channel);
    }
  }

  /** The card's blocks with its picture uploaded (for answers through a response_url); never fails for the picture. */
  content(message: CardMessage): Promise<SlackContent> {
    return contentWithImage(this.client, message, this.log);
  }

  /**
   * Sends the card with its picture uploaded; if Slack refuses the blocks because of the picture
   * (a file it cannot show yet), the card goes again without it, saying so.
   */
  private async withPicture<T>(message: CardMessage, send: (content: SlackContent) => Promise<T>): Promise<T> {
    const content = await contentWithImage(this.client, message, this.log);
    const pictured = content.blocks.some((b) => b.type === 'image' && 'slack_file' in b);
    try {
      return await send(content);
    } catch (e) {
      if (!pictured || platformCode(e) !== 'invalid_blocks') throw e;
      this.log?.warn({ chart: message.image?.name }, 'Slack refused the chart block; the card goes without it');
      return send(slackContent(imageMissing(message, UPLOAD_FAILED)));
    }
  }

  /**
   * The bot's message carrying `marker` in its metadata, from the channel's recent history. Any
   * failure to look (a missing history scope, a DM not open yet) answers "not found": the caller
   * posts, as it would have without the lookup.
   */
  async findPosted(channel: string, marker: string, since: Date): Promise<MessageRef | undefined> {
    try {
      const target = await this.conversationFor(bareId(channel));
      const res = await this.client.conversations.history({
        channel: target, oldest: (since.getTime() / 1000).toFixed(6), limit: 100, include_all_metadata: true,
      });
      const found = (res.messages ?? []).find((m) => m.metadata?.event_type === MARKER_EVENT && (m.metadata.event_payload as { key?: unknown } | undefined)?.key === marker);
      return found?.ts ? { channel: qualified(target), messageId: found.ts } : undefined;
    } catch {
      return undefined;
    }
  }

  /** Shows a message to one person in a channel (refusals after a modal, which has no response_url). */
  async postEphemeral(channel: string, user: string, message: CardMessage): Promise<void> {
    try {
      await this.client.chat.postEphemeral({ channel: bareId(channel), user: bareId(user), ...slackContent(message) });
    } catch (e) {
      throw slackError('chat.postEphemeral', e, channel);
    }
  }

  private async conversationFor(id: string): Promise<string> {
    if (!isUserId(id)) return id;
    const known = this.dms.get(id);
    if (known) return known;
    try {
      const res = await this.client.conversations.open({ users: id, return_im: false });
      const dm = res.channel?.id;
      if (!dm) throw new Error('conversations.open returned no channel');
      this.dms.set(id, dm);
      return dm;
    } catch (e) {
      throw slackError('conversations.open', e, qualified(id));
    }
  }
}
