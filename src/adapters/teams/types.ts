/**
 * Plain shapes the Teams surface works with. Only `transport.ts` (and the settings mapping beside
 * it) knows the Microsoft 365 Agents SDK; everything else sees these, so an SDK move touches one file.
 */
import type { TeamsAttachment } from '../../cards/render';

export interface TeamsAccount { id: string; name?: string; aadObjectId?: string }

/** The parts of an inbound Bot Framework activity the surface reads. */
export interface InboundActivity {
  type: string;
  id?: string;
  name?: string;
  text?: string;
  value?: unknown;
  replyToId?: string;
  serviceUrl?: string;
  channelId?: string;
  from?: TeamsAccount;
  recipient?: TeamsAccount;
  conversation?: { id: string; conversationType?: string; isGroup?: boolean; tenantId?: string; name?: string };
  channelData?: Record<string, unknown>;
  action?: string;
}

/** A conversation reference as JSON (the SDK's ConversationReference; older ones name the bot `bot`, newer `agent`). */
export type StoredReference = Record<string, unknown> & { conversation: { id: string }; serviceUrl?: string };

export interface OutboundMessage { text?: string; attachments?: TeamsAttachment[] }

/** One inbound activity being handled; replies go back through the same connection. */
export interface Turn {
  activity: InboundActivity;
  /** The message text with the bot's own @mention removed. */
  text: string;
  reference: StoredReference;
  /** Replies in the conversation (in the thread for channels); returns the new activity id. */
  reply(message: OutboundMessage): Promise<string | undefined>;
  /** Sets the HTTP answer of an invoke activity. */
  answer(status: number, body?: unknown): Promise<void>;
}

/** `user`: the verified token's claims (absent in anonymous mode); the SDK picks the outbound credential from them. */
export interface RequestLike { method?: string; headers: Record<string, string | string[] | undefined>; body: unknown; user?: Record<string, unknown> }

/** The response the SDK writes to. */
export interface ResponseLike {
  readonly headersSent: boolean;
  readonly writableEnded: boolean;
  status(code: number): ResponseLike;
  setHeader(name: string, value: string): ResponseLike;
  send(body?: unknown): ResponseLike;
  end(): ResponseLike;
}

/** The body is not an activity the SDK can read (thrown by `Transport.process` before any turn runs). */
export class BadActivityError extends Error {
  constructor() {
    super('The body is not a Bot Framework activity.');
    this.name = 'BadActivityError';
  }
}

export interface Transport {
  /** Runs `onTurn` for the request's activity (already authenticated by the caller); BadActivityError when unreadable. */
  process(req: RequestLike, res: ResponseLike, onTurn: (turn: Turn) => Promise<void>): Promise<void>;
  /** Proactive post: a new message in the referenced conversation; returns its activity id. */
  send(reference: StoredReference, message: OutboundMessage): Promise<string>;
  /** Edits a message the bot posted earlier. */
  update(reference: StoredReference, activityId: string, message: OutboundMessage): Promise<void>;
  /** Opens (or reopens) the bot's 1:1 chat with a user and posts there (Bot Connector createConversation). */
  openPersonal(target: PersonalTarget, message: OutboundMessage): Promise<{ reference: StoredReference; messageId: string }>;
}

/** Who to open a 1:1 chat with, on the connector an inbound activity came from. */
export interface PersonalTarget {
  serviceUrl: string;
  channelId: string;
  bot: TeamsAccount;
  user: TeamsAccount;
  tenantId?: string;
}

export interface TeamsAuthConfig {
  appId?: string;
  appPassword?: { reveal(): string };
  appType: string;
  tenantId?: string;
}
