/**
 * What a chat surface (Slack, Teams, the CLI) needs from the bot: run a command, run a card
 * button, and nudge background work. Surfaces translate their platform's payloads into these calls
 * and render the outcomes; they never reach into the core's internals.
 */
import type { Invocation, Outcome } from './commands/types';
import type { Caller } from './identity';
import type { Logger, Store } from './ports';
import type { BotSettings } from './settings';

export interface CardAction {
  /** The button's verb, e.g. `approve`, `reject`, `refresh`. */
  verb: string;
  /** The button's data as sent back by the platform (untrusted: validated by the bot). */
  data: Record<string, unknown>;
  caller: Caller;
  channel?: string;
  correlationId: string;
}

export interface BotCore {
  readonly settings: BotSettings;
  readonly store: Store;
  readonly log: Logger;
  /** Runs one command end to end: parse, access filter, handler, error sink. */
  handle(invocation: Invocation): Promise<Outcome>;
  /** Runs a card button through the same policy as the equivalent command. */
  act(action: CardAction): Promise<Outcome>;
  /** Tells the background worker that new effects are waiting. */
  kick(): void;
}
