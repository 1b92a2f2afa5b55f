import { permits } from '../access';
import { card } from '../cards/views';
import { BotError } from '../errors';
import { describeRules } from '../policy/describe';
import { clip, nearest } from './suggest';
import { WHO_MAY } from './who-may';
import type { CommandCatalog, CommandContext, CommandSpec, Outcome, ParsedArgs } from './types';

const NOT_HERE = ' (not configured in this installation)';

/** `help` lists what the caller may run; `help <command>` explains one command (or a group). */
export const helpCommand: CommandSpec = {
  name: 'help',
  summary: 'The commands you may run, with examples',
  usage: 'help [command]',
  examples: ['help', 'help promote', 'help schedule create'],
  args: [{ name: 'command', required: false, description: 'Command to explain' }],
  rest: { name: 'subcommand', description: 'Second word of a two-word command' },
  flags: [],
  permission: 'anyone',
  async handler(ctx: CommandContext, args: ParsedArgs): Promise<Outcome> {
    const catalog = ctx.commands;
    if (!catalog) throw new BotError('internal', 'The command list is not available.');
    const topic = [args.positional.command, ...args.rest].filter((w): w is string => w !== undefined).join(' ').toLowerCase().trim();
    return topic === '' ? overview(ctx, catalog) : about(ctx, catalog, topic);
  },
};

async function overview(ctx: CommandContext, catalog: CommandCatalog): Promise<Outcome> {
  const { caller } = ctx.invocation;
  const allowed: CommandSpec[] = [];
  for (const spec of catalog.list()) {
    if (await permits(spec.permission, caller, ctx.settings, ctx.ports.directory)) allowed.push(spec);
  }
  const hidden = catalog.list().length - allowed.length;
  const more = hidden > 0 ? ` ${hidden} more ${hidden === 1 ? 'needs' : 'need'} a role you do not have (type \`whoami\`).` : '';
  return {
    status: 'ok',
    visibility: 'private',
    reply: card('help', {
      title: 'MLOps Bot commands',
      intro: `Commands you may run. Type \`help <command>\` for details.${more}`,
      // The overview stays narrow: each command with its arguments (`help <command>` has every flag) and its shortest example.
      commands: allowed.map((s) => ({
        usage: shortUsage(s),
        summary: s.summary + (catalog.isConfigured(s.name) ? '' : NOT_HERE),
        example: [...s.examples].sort((a, b) => a.length - b.length)[0] ?? s.name,
      })),
    }),
  };
}

async function about(ctx: CommandContext, catalog: CommandCatalog, topic: string): Promise<Outcome> {
  const exact = catalog.get(topic);
  const group = catalog.list().filter((s) => s.name.startsWith(`${topic} `));
  const specs = exact ? [exact] : group;
  if (specs.length === 0) {
    const names = catalog.list().map((s) => s.name);
    const hint = nearest(topic, names);
    throw new BotError('unknown_command', `No command \`${clip(topic)}\`.${hint ? ` Did you mean \`${hint}\`?` : ''}`, {
      remedy: 'Type `help` to see the commands you can run.',
    });
  }
  const refused: string[] = [];
  for (const s of specs) {
    if (!(await permits(s.permission, ctx.invocation.caller, ctx.settings, ctx.ports.directory))) refused.push(s.name);
  }
  const missing = specs.filter((s) => !catalog.isConfigured(s.name)).map((s) => s.name);
  const notes = [
    refused.length > 0 ? `You may not run ${names(refused, specs.length)} (${WHO_MAY[specs.find((x) => x.name === refused[0])!.permission]} only; type \`whoami\`).` : '',
    missing.length > 0 ? `${capital(names(missing, specs.length))} not configured in this installation.` : '',
  ];
  const details = exact ? describe(exact) : `Subcommands: ${group.map((s) => s.name).join(', ')}.`;
  // Which settings a promotion gets depends on the model: say so where people look before promoting.
  const rules = exact?.name === 'promote' ? describeRules(ctx.settings) : [];
  if (rules.length > 0) notes.push(`Model rules (first match wins):\n${rules.map((r) => `- ${r}`).join('\n')}`);
  return {
    status: 'ok',
    visibility: 'private',
    reply: card('help', {
      title: exact ? `help ${exact.name}` : `help ${topic}`,
      intro: [exact?.summary, details, ...notes].filter(Boolean).join('\n'),
      commands: specs.map((s) => ({ usage: s.usage, summary: s.summary, example: s.examples.join('\n') })),
    }),
  };
}

/** `promote <model> <env> [options]`: the name and arguments, flags left to `help <command>`. */
export function shortUsage(spec: CommandSpec): string {
  const args = spec.args.map((a) => (a.required ? `<${a.name}>` : `[${a.name}]`));
  return [spec.name, ...args, ...(spec.rest ? [`[${spec.rest.name} …]`] : []), ...(spec.flags.length > 0 ? ['[options]'] : [])].join(' ');
}

/** Arguments and flags in words. */
function describe(spec: CommandSpec): string {
  const lines: string[] = [];
  for (const a of spec.args) lines.push(`<${a.name}>${a.required ? '' : ' (optional)'}: ${a.description}${values(a.values)}`);
  if (spec.rest) lines.push(`[${spec.rest.name} …]: ${spec.rest.description}`);
  for (const f of spec.flags) lines.push(`--${f.name}${f.kind === 'string' ? ' <value>' : ''}: ${f.description}${values(f.values)}`);
  return lines.join('\n');
}

/** `\`sp create\`` or "these commands" when the note applies to the whole group. */
function names(list: string[], total: number): string {
  return list.length === total && total > 1 ? 'these commands' : list.map((n) => `\`${n}\``).join(', ');
}

function capital(text: string): string {
  const verb = text === 'these commands' || text.includes(',') ? ' are' : ' is';
  return text.charAt(0).toUpperCase() + text.slice(1) + verb;
}

const values = (v: readonly string[] | undefined): string => (v ? ` (${v.join(' | ')})` : '');
