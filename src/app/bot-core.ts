/**
 * The bot as surfaces see it: commands go through the dispatcher; card buttons become the
 * equivalent command, so a click runs exactly the policy a typed `approve` runs.
 */
import { card } from '../core/cards/views';
import { dispatch } from '../core/commands/dispatch';
import type { CommandRegistry } from '../core/commands/registry';
import type { Invocation, Outcome, Ports } from '../core/commands/types';
import type { Logger } from '../core/ports';
import type { BotSettings } from '../core/settings';
import type { BotCore, CardAction } from './surface';

export interface BotCoreDeps {
  settings: BotSettings;
  ports: Ports;
  log: Logger;
  commands: CommandRegistry;
  /** Called after every command or click, so queued effects run at once. */
  onActivity?: () => void;
}

const REQUEST_ID = /^PR-[A-Z0-9]{5}$/;

export function createBotCore(deps: BotCoreDeps): BotCore {
  const handle = async (invocation: Invocation): Promise<Outcome> => {
    try {
      return await dispatch(invocation, deps);
    } finally {
      deps.onActivity?.();
    }
  };
  return {
    settings: deps.settings,
    store: deps.ports.store,
    log: deps.log,
    handle,
    act: async (action: CardAction) => {
      const text = commandFor(action);
      if (text === null) return invalidAction(action.verb);
      return handle({ text, caller: action.caller, channel: action.channel, correlationId: action.correlationId });
    },
    kick: () => deps.onActivity?.(),
  };
}

/** Translates a button into command text; anything unexpected is refused rather than guessed. */
export function commandFor(action: Pick<CardAction, 'verb' | 'data'>): string | null {
  const requestId = typeof action.data.requestId === 'string' ? action.data.requestId : '';
  if (!REQUEST_ID.test(requestId)) return null;
  const note = typeof action.data.comment === 'string' ? action.data.comment : typeof action.data.reason === 'string' ? action.data.reason : '';
  switch (action.verb) {
    case 'approve':
      return note ? `approve ${requestId} ${quote(note)}` : `approve ${requestId}`;
    case 'reject':
      return `reject ${requestId} ${note ? quote(note) : ''}`.trimEnd();
    case 'cancel':
      return `cancel ${requestId}`;
    default:
      return null;
  }
}

function quote(text: string): string {
  return `"${text.slice(0, 500).replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

function invalidAction(verb: string): Outcome {
  return {
    status: 'invalid',
    visibility: 'private',
    reply: card('notice', { title: 'Unknown button', text: `This card's "${verb}" button is not recognised; use the command instead.`, tone: 'warning' }),
  };
}
