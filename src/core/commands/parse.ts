import { BotError } from '../errors';
import { bindArgs, isFlagToken } from './bind-args';
import type { CommandRegistry } from './registry';
import { clip, nearest } from './suggest';
import { stripPrefix, tokenize, type Token } from './tokenize';
import type { CommandSpec, ParsedArgs } from './types';

export interface ParsedCommand {
  spec: CommandSpec;
  args: ParsedArgs;
}

const HELP_REMEDY = 'Type `help` to see the commands you can run.';

/**
 * Turns a command line into a command and its arguments. Throws only `BotError`s with code
 * `usage` or `unknown_command`; empty input (or a bare prefix) means `help`.
 */
export function parse(text: string, registry: CommandRegistry): ParsedCommand {
  const tokens = tokenize(stripPrefix(text));
  if (tokens.length === 0) return helpAbout(registry, undefined);
  const { spec, consumed } = matchCommand(tokens, registry);
  const rest = tokens.slice(consumed);
  if (asksForHelp(rest) && spec.name !== 'help') return helpAbout(registry, spec.name);
  return { spec, args: bindArgs(spec, rest, registry) };
}

function helpAbout(registry: CommandRegistry, command: string | undefined): ParsedCommand {
  const help = registry.get('help');
  if (!help) throw new BotError('usage', 'Type a command.', { remedy: 'For example `models`.' });
  const [first, second] = command?.split(' ') ?? [];
  return { spec: help, args: { positional: { command: first }, rest: second ? [second] : [], flags: {} } };
}

function asksForHelp(tokens: Token[]): boolean {
  for (const t of tokens) {
    if (t.quoted) continue;
    if (t.value === '--') return false;
    if (t.value.toLowerCase() === '--help' || t.value === '-h') return true;
  }
  return false;
}

const word = (t: Token | undefined): string | undefined =>
  t === undefined || isFlagToken(t) ? undefined : t.value.toLowerCase();

function matchCommand(tokens: Token[], registry: CommandRegistry): { spec: CommandSpec; consumed: number } {
  const first = word(tokens[0]);
  if (first === undefined) {
    const help = registry.get('help');
    if (help && asksForHelp(tokens.slice(0, 1))) return { spec: help, consumed: 1 };
    throw new BotError('unknown_command', `Start with a command name, not \`${clip(tokens[0].value)}\`.`, { remedy: HELP_REMEDY });
  }
  const second = word(tokens[1]);
  if (second !== undefined) {
    const two = registry.get(`${first} ${second}`);
    if (two) return { spec: two, consumed: 2 };
  }
  const one = registry.get(first);
  if (one) return { spec: one, consumed: 1 };

  const subs = registry.groups().get(first);
  if (subs) {
    if (second === undefined) {
      throw new BotError('usage', `\`${first}\` needs a subcommand: ${subs.join(', ')}.`, {
        remedy: `For example \`${registry.get(`${first} ${subs[0]}`)?.examples[0] ?? `${first} ${subs[0]}`}\`, or \`help ${first}\`.`,
        details: { command: first },
      });
    }
    const guess = nearest(second, subs);
    throw unknown(`${first} ${second}`, guess && `${first} ${guess}`);
  }
  throw unknown(first, suggestCommand(first, second, registry));
}

function suggestCommand(first: string, second: string | undefined, registry: CommandRegistry): string | undefined {
  const groups = registry.groups();
  const heads = [...registry.names().filter((n) => !n.includes(' ')), ...groups.keys()];
  const guess = nearest(first, heads);
  if (guess === undefined) return undefined;
  const sub = second === undefined ? undefined : nearest(second, groups.get(guess) ?? []);
  return sub === undefined ? guess : `${guess} ${sub}`;
}

function unknown(typed: string, suggestion: string | undefined): BotError {
  const hint = suggestion === undefined ? '' : ` Did you mean \`${suggestion}\`?`;
  return new BotError('unknown_command', `Unknown command \`${clip(typed)}\`.${hint}`, {
    remedy: HELP_REMEDY,
    details: { typed: clip(typed), suggestion },
  });
}
