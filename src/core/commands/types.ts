import type { CardMessage } from '../cards/views';
import type { Caller } from '../identity';
import type { AccountLinking, AccountLinks, ChartRenderer, Chat, Clock, Directory, IdentityAdmin, LiveMetrics, Logger, ModelRegistry, Releases, Schedules, Serving, Store } from '../ports';
import type { BotSettings } from '../settings';

/** One command as it arrived from any surface (Slack, Teams, CLI), already authenticated. */
export interface Invocation {
  /** The text after the surface's prefix handling, e.g. `promote taxi-model prod --dry-run`. */
  text: string;
  caller: Caller;
  /** Platform-qualified channel/conversation where it was typed, when there is one. */
  channel?: string;
  correlationId: string;
  /**
   * The surface's key of this invocation (the Slack trigger id). A command run twice under one key
   * (replayed after a crash) acts once: `promote` derives its request id from it.
   */
  idempotencyKey?: string;
}

/**
 * Every exit of a command is one of these (closed list). `private` replies go to the caller only
 * (Slack ephemeral, Teams invoke answer); `public` ones to the conversation.
 */
export type OutcomeStatus = 'ok' | 'invalid' | 'refused' | 'not_found' | 'conflict' | 'failed';

export interface Outcome {
  status: OutcomeStatus;
  reply: CardMessage;
  visibility: 'public' | 'private';
  /** Set when the outcome concerns a promotion request (surfaces keep its status card up to date). */
  requestId?: string;
}

/** Parsed arguments after matching a spec: positionals by name, flags by name. */
export interface ParsedArgs {
  positional: Record<string, string | undefined>;
  /** Rest arguments (`compare <model> [v1 v2 …]`). */
  rest: string[];
  flags: Record<string, string | boolean | undefined>;
}

export interface ArgSpec {
  name: string;
  required: boolean;
  description: string;
  /** When set, the parser accepts only these values (case-insensitive) and stores the canonical one. */
  values?: readonly string[];
}
export interface FlagSpec { name: string; kind: 'string' | 'boolean'; description: string; values?: readonly string[] }

/**
 * Who may run a command at all: `anyone`, approvers of some environment, schedulers of some
 * environment, or admins. Handlers refine per environment.
 */
export type Permission = 'anyone' | 'approver' | 'scheduler' | 'admin';

export interface Ports {
  registry: ModelRegistry;
  releases: Releases;
  schedules: Schedules;
  identityAdmin: IdentityAdmin;
  directory: Directory;
  store: Store;
  chat: Chat;
  clock: Clock;
  /** What serves (Azure ML endpoints); absent where the installation has no serving adapter. */
  serving?: Serving;
  /** Live request figures of online deployments (Azure Monitor); absent where none is configured. */
  liveMetrics?: LiveMetrics;
  /** Chat accounts linked to Entra accounts (DESIGN 9.6); absent where sign-in is not configured. */
  accountLinks?: AccountLinks & AccountLinking;
  /** Draws charts for cards; absent where the installation has none (cards then go without pictures). */
  charts?: ChartRenderer;
}

/** The commands known to this installation, for commands that describe the others (`help`). */
export interface CommandCatalog {
  list(): readonly CommandSpec[];
  get(name: string): CommandSpec | undefined;
  /** False for commands declared in the grammar whose handler this installation lacks. */
  isConfigured(name: string): boolean;
}

export interface CommandContext {
  invocation: Invocation;
  settings: BotSettings;
  ports: Ports;
  log: Logger;
  /** Set by the dispatcher. */
  commands?: CommandCatalog;
}

export interface CommandSpec {
  /** One or two words: `promote`, `schedule create`. */
  name: string;
  summary: string;
  usage: string;
  examples: string[];
  args: ArgSpec[];
  /** Accepts extra positionals into `rest`. */
  rest?: { name: string; description: string };
  flags: FlagSpec[];
  permission: Permission;
  handler(ctx: CommandContext, args: ParsedArgs): Promise<Outcome>;
}
