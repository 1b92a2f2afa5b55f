/**
 * One Chat for the core, whatever platform a channel is on: `slack:…` goes to Slack, `teams:…` to
 * Teams, `cli:…` to the local console store. A channel on a platform that is not set up fails with
 * the setting to fix, so the outbox keeps the effect and the log says why.
 */
import type { CardMessage } from '../core/cards/views';
import { BotError, isBotError } from '../core/errors';
import { splitQualified, type Platform } from '../core/identity';
import type { Chat, MessageRef, PostOptions } from '../core/ports';

const SETUP: Record<Platform, string> = {
  slack: 'Set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode).',
  teams: 'Install the Teams app in that conversation (and set MicrosoftAppId for a real tenant).',
  cli: 'Use the local CLI (npm run cli).',
};

/** What happened to one delivery: `throttled` is the platform answering 429 (rate limited). */
export type DeliveryOutcome = 'ok' | 'throttled' | 'failed';
export type DeliveryObserver = (platform: string, op: 'post' | 'update', outcome: DeliveryOutcome) => void;

export class ChatRouter implements Chat {
  private readonly byPlatform = new Map<Platform, Chat>();
  private readonly observers: DeliveryObserver[] = [];

  register(platform: Platform, chat: Chat): this {
    this.byPlatform.set(platform, chat);
    return this;
  }

  has(platform: Platform): boolean {
    return this.byPlatform.has(platform);
  }

  /** Sees every delivery's outcome (metrics). */
  observe(observer: DeliveryObserver): void {
    this.observers.push(observer);
  }

  post(channel: string, message: CardMessage, opts?: PostOptions): Promise<MessageRef> {
    return this.watch(channel, 'post', () => this.route(channel).post(channel, message, opts));
  }

  async findPosted(channel: string, marker: string, since: Date): Promise<MessageRef | undefined> {
    const chat = this.route(channel);
    return chat.findPosted ? chat.findPosted(channel, marker, since) : undefined;
  }

  update(ref: MessageRef, message: CardMessage): Promise<void> {
    return this.watch(ref.channel, 'update', () => this.route(ref.channel).update(ref, message));
  }

  private async watch<T>(channel: string, op: 'post' | 'update', send: () => Promise<T>): Promise<T> {
    if (this.observers.length === 0) return send();
    const platform = splitQualified(channel)?.platform ?? 'unknown';
    try {
      const out = await send();
      for (const o of this.observers) o(platform, op, 'ok');
      return out;
    } catch (err) {
      const outcome = isBotError(err) && err.code === 'upstream_throttled' ? 'throttled' : 'failed';
      for (const o of this.observers) o(platform, op, outcome);
      throw err;
    }
  }

  private route(channel: string): Chat {
    const platform = splitQualified(channel)?.platform;
    const chat = platform && this.byPlatform.get(platform);
    if (chat) return chat;
    throw new BotError('config_invalid', `Cannot deliver to ${channel}: ${platform ?? 'its platform'} is not set up in this installation.`, {
      remedy: platform ? SETUP[platform] : 'Channel ids are platform-qualified: slack:C…, teams:<conversation id> or cli:<name>.',
    });
  }
}
