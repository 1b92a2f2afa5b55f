import { permits } from '../access';
import { card } from '../cards/views';
import { isBotError } from '../errors';
import type { Logger } from '../ports';
import type { BotSettings } from '../settings';
import { errorOutcome } from './error-sink';
import { parse } from './parse';
import { CommandRegistry, type CommandDeclaration } from './registry';
import { WHO_MAY } from './who-may';
import type { CommandContext, CommandSpec, Invocation, Outcome, Ports } from './types';

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
  try {
    const { spec, args } = parse(invocation.text, commands);
    command = spec.name;
    log = log.child({ command });
    if (!(await permits(spec.permission, invocation.caller, settings, ports.directory))) {
      await recordRefusal(invocation, deps, log, command, `needs ${spec.permission}`);
      return refusedOutcome(spec);
    }
    const ctx: CommandContext = { invocation, settings, ports, log, commands };
    const outcome = await spec.handler(ctx, args);
    log.info({ status: outcome.status }, 'command handled');
    return outcome;
  } catch (error) {
    if (isBotError(error) && error.code === 'forbidden' && error.details?.audited !== true) {
      await recordRefusal(invocation, deps, log, command, error.message);
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

/** Refusals are audited; if the store cannot record one, the refusal still stands and is logged. */
async function recordRefusal(invocation: Invocation, deps: DispatchDeps, log: Logger, command: string | undefined, reason: string): Promise<void> {
  try {
    await deps.ports.store.appendAudit([{
      action: 'command.refused',
      actor: invocation.caller.id,
      detail: { command: command ?? null, reason, ...(invocation.channel ? { channel: invocation.channel } : {}) },
      correlationId: invocation.correlationId,
    }]);
  } catch (error) {
    const err = error instanceof Error ? { message: error.message, stack: error.stack } : { message: String(error) };
    log.error({ err, command }, 'could not audit a refusal');
  }
}
