import { BotError } from '../errors';
import type { CommandRegistry } from './registry';
import { clip, nearest } from './suggest';
import type { Token } from './tokenize';
import type { CommandSpec, FlagSpec, ParsedArgs } from './types';

/** Only an unquoted `--name` is a flag (a quoted "--x" is a value). */
export const isFlagToken = (t: Token): boolean => t.literal.startsWith('--') && t.literal.length > 2;

const TRUE = ['true', 'yes', 'on', '1'];
const FALSE = ['false', 'no', 'off', '0'];

function usageError(spec: CommandSpec, message: string): BotError {
  return new BotError('usage', `${message}\nUsage: ${spec.usage}`, {
    remedy: spec.examples.length > 0 ? `For example: ${spec.examples[0]}` : `Type \`help ${spec.name}\` for details.`,
    details: { command: spec.name, usage: spec.usage },
  });
}

function canonical(spec: CommandSpec, what: string, value: string, values: readonly string[] | undefined): string {
  if (values === undefined) return value;
  const hit = values.find((v) => v.toLowerCase() === value.toLowerCase());
  if (hit !== undefined) return hit;
  const hint = nearest(value, values);
  throw usageError(spec, `'${clip(value)}' is not a valid ${what}.${hint ? ` Did you mean ${hint}?` : ''} Valid values: ${values.join(', ')}.`);
}

/** Matches the words after the command name against its declared arguments and flags. */
export function bindArgs(spec: CommandSpec, tokens: Token[], registry?: CommandRegistry): ParsedArgs {
  const positionals: string[] = [];
  const flags: ParsedArgs['flags'] = {};
  let flagsEnded = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!flagsEnded && !t.quoted && t.value === '--') { flagsEnded = true; continue; }
    if (flagsEnded || !isFlagToken(t)) { positionals.push(t.value); continue; }

    const eq = t.literal.indexOf('=');
    const name = (eq >= 0 ? t.literal.slice(2, eq) : t.value.slice(2)).toLowerCase();
    const flag = spec.flags.find((f) => f.name === name) ?? throwUnknownFlag(spec, name);
    if (flags[flag.name] !== undefined) throw usageError(spec, `--${flag.name} is given more than once.`);
    const inline = eq >= 0 ? t.value.slice(eq + 1) : undefined;
    if (flag.kind === 'boolean') {
      flags[flag.name] = booleanValue(spec, flag, inline);
      continue;
    }
    let value = inline;
    if (value === undefined) {
      const next = tokens[i + 1];
      if (next !== undefined && !isFlagToken(next) && !(next.value === '--' && !next.quoted)) { value = next.value; i++; }
    }
    if (value === undefined || value.trim() === '') {
      throw usageError(spec, `--${flag.name} needs a value (${flag.description.toLowerCase()}).`);
    }
    flags[flag.name] = canonical(spec, `value for --${flag.name}`, value, flag.values);
  }
  return { ...assignPositionals(spec, positionals, registry), flags };
}

function booleanValue(spec: CommandSpec, flag: FlagSpec, inline: string | undefined): boolean {
  if (inline === undefined) return true;
  if (TRUE.includes(inline.toLowerCase())) return true;
  if (FALSE.includes(inline.toLowerCase())) return false;
  throw usageError(spec, `--${flag.name} is a switch: write --${flag.name} alone (or --${flag.name}=false).`);
}

function throwUnknownFlag(spec: CommandSpec, name: string): never {
  const names = spec.flags.map((f) => f.name);
  if (names.length === 0) throw usageError(spec, `\`${spec.name}\` takes no flags (got --${clip(name)}).`);
  const hint = nearest(name, names);
  const valid = names.map((n) => `--${n}`).join(', ');
  throw usageError(spec, `Unknown flag --${clip(name)} for \`${spec.name}\`.${hint ? ` Did you mean --${hint}?` : ''} Flags: ${valid}.`);
}

function assignPositionals(spec: CommandSpec, values: string[], registry?: CommandRegistry): Omit<ParsedArgs, 'flags'> {
  const positional: ParsedArgs['positional'] = {};
  spec.args.forEach((arg, i) => {
    const value = values[i];
    if (value === undefined) {
      if (arg.required) throw usageError(spec, `Missing <${arg.name}> (${arg.description.toLowerCase()}).`);
      return;
    }
    positional[arg.name] = canonical(spec, `<${arg.name}>`, value, arg.values);
  });
  const extra = values.slice(spec.args.length);
  if (extra.length > 0 && !spec.rest) {
    const sub = registry?.groups().get(spec.name);
    const hint = sub ? nearest(extra[0], sub) : undefined;
    const mean = hint ? ` Did you mean \`${spec.name} ${hint}\`?` : '';
    throw usageError(spec, `Unexpected argument '${clip(extra[0])}' for \`${spec.name}\`.${mean}`);
  }
  return { positional, rest: extra };
}
