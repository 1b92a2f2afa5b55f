import { card } from '../cards/views';
import type { CommandCatalog, CommandSpec, Outcome } from './types';

/**
 * A command as declared in the grammar. Without a handler it is still parsed and listed in help,
 * and answers that the capability is not configured in this installation.
 */
export type CommandDeclaration = Omit<CommandSpec, 'handler'> & { handler?: CommandSpec['handler'] };

/** Gives a declaration its handler (the declaration stays the single source of the grammar). */
export function withHandler(declaration: Omit<CommandSpec, 'handler'>, handler: CommandSpec['handler']): CommandSpec {
  return { ...declaration, handler };
}

function notConfigured(name: string): CommandSpec['handler'] {
  return async (): Promise<Outcome> => ({
    status: 'failed',
    visibility: 'private',
    reply: card('notice', {
      title: 'Not available here',
      text: `\`${name}\` is not configured in this installation. Ask the bot operator to enable it.`,
      tone: 'warning',
    }),
  });
}

const normalise = (name: string): string => name.trim().toLowerCase().split(/\s+/).join(' ');

export class CommandRegistry implements CommandCatalog {
  private readonly specs = new Map<string, CommandSpec>();
  private readonly configured = new Set<string>();

  /**
   * Later entries with a handler replace earlier declarations of the same name, so an installation
   * attaches handlers by listing them after the grammar; two handlers for one name is a wiring bug.
   */
  constructor(entries: readonly CommandDeclaration[]) {
    for (const entry of entries) this.add(entry);
  }

  add(entry: CommandDeclaration): void {
    const name = normalise(entry.name);
    const words = name.split(' ');
    if (name === '' || words.length > 2) throw new Error(`Command names have one or two words: '${entry.name}'`);
    const existing = this.specs.get(name);
    if (existing && (this.configured.has(name) || !entry.handler)) throw new Error(`Command '${name}' is declared twice`);
    const handler = entry.handler;
    this.specs.set(name, { ...entry, name, handler: handler ?? notConfigured(name) });
    if (handler) this.configured.add(name);
  }

  get(name: string): CommandSpec | undefined {
    return this.specs.get(normalise(name));
  }

  has(name: string): boolean {
    return this.specs.has(normalise(name));
  }

  isConfigured(name: string): boolean {
    return this.configured.has(normalise(name));
  }

  list(): CommandSpec[] {
    return [...this.specs.values()];
  }

  names(): string[] {
    return [...this.specs.keys()];
  }

  /** First words that start two-word commands (`schedule`, `sp`, `audit`). */
  groups(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const name of this.specs.keys()) {
      const [first, second] = name.split(' ');
      if (second !== undefined) out.set(first, [...(out.get(first) ?? []), second]);
    }
    return out;
  }
}
