import { permits } from '../access';
import { recordAudit } from '../audit/record';
import { card } from '../cards/views';
import { isBotError } from '../errors';
import type { Logger } from '../ports';
import { findEnvironment, type BotSettings } from '../settings';
import { errorOutcome } from './error-sink';
import { parse } from './parse';
import { CommandRegistry, type CommandDeclaration } from './registry';
import { WHO_MAY } from './who-may';
import { withLinkedAccount } from './linked-caller';
import type { CommandContext, CommandSpec, Invocation, Outcome, ParsedArgs, Ports } from './types';

export interface DispatchDeps {
  settings: BotSettings;
  ports: Ports;
  log: Logger;
  /** A registry, or the declarations to build one from (e.g. `allCommands`). */
  commands: CommandRegistry | readonly CommandDeclaration[];
}

/**
 * Runs one invocation: parse → command-level access check (before the handler, audited when
 * refused) → handler. Every failure leaves through the error sink; bad input reaches no port.
 */
export async function dispatch(invocation: Invocation, deps: DispatchDeps): Promise<Outcome> {
  const { settings, ports } = deps;
  const commands = deps.commands instanceof CommandRegistry ? deps.commands : new CommandRegistry(deps.commands);
  let log = deps.log.child({ correlationId: invocation.correlationId, caller: invocation.caller.id });
  let command: string | undefined;
  let parsed: ParsedArgs | undefined;
  try {
    const { spec, args } = parse(invocation.text, commands);
    command = spec.name;
    parsed = args;
    log = log.child({ command });
    invocation = await withLinkedAccount(invocation, ports.accountLinks);
    if (!(await permits(spec.permission, invocation.caller, settings, ports.directory))) {
      await recordRefusal(invocation, deps, log, command, `needs ${spec.permission}`, refusalEnv(settings, args));
      return refusedOutcome(spec);
    }
    const ctx: CommandContext = { invocation, settings, ports, log, commands };
    const outcome = await spec.handler(ctx, args);
    log.info({ status: outcome.status }, 'command handled');
    return outcome;
  } catch (error) {
    if (isBotError(error) && error.code === 'forbidden' && error.details?.audited !== true) {
      await recordRefusal(invocation, deps, log, command, error.message, refusalEnv(settings, parsed, error.details?.env));
    }
    return errorOutcome(error, invocation.correlationId, log);
  }
}

function refusedOutcome(spec: CommandSpec): Outcome {
  return {
    status: 'refused',
    visibility: 'private',
    reply: card('notice', {
      title: 'Not allowed',
      text: `\`${spec.name}\` is for ${WHO_MAY[spec.permission]} only. Ask an admin if you need it.`,
      tone: 'attention',
    }),
  };
}

/**
 * The configured environment a refused command was about (the refusal's own, `--env`, or an `env`
 * argument), so the refusal reaches that environment's audit channels; none: every environment's.
 */
function refusalEnv(settings: BotSettings, args: ParsedArgs | undefined, fromError?: unknown): string | undefined {
  const named = [fromError, args?.flags.env, args?.positional.env].find((v): v is string => typeof v === 'string');
  return named === undefined ? undefined : findEnvironment(settings, named)?.name;
}

/** Refusals are audited; if the store cannot record one, the refusal still stands and is logged. */
async function recordRefusal(invocation: Invocation, deps: DispatchDeps, log: Logger, command: string | undefined, reason: string, env?: string): Promise<void> {
  try {
    await recordAudit(deps.ports.store, deps.settings, [{
      action: 'command.refused',
      actor: invocation.caller.id,
      ...(env ? { env } : {}),
      detail: { command: command ?? null, reason, ...(invocation.channel ? { channel: invocation.channel } : {}) },
      correlationId: invocation.correlationId,
    }], deps.ports.clock.now());
  } catch (error) {
    const err = error instanceof Error ? { message: error.message, stack: error.stack } : { message: String(error) };
    log.error({ err, command }, 'could not audit a refusal');
  }
}
