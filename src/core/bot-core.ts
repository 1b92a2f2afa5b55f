/**
 * The bot as surfaces see it: commands go through the dispatcher; card buttons become the
 * equivalent command, so a click runs exactly the policy a typed `approve` runs.
 */
import { moreCommand } from './commands/paging';
import { card } from './cards/views';
import { dispatch } from './commands/dispatch';
import { SCHEDULE_CONFIRM_PATTERNS } from './commands/schedule-manage';
import { CONFIRM_PATTERNS } from './commands/sp-view';
import type { CommandRegistry } from './commands/registry';
import type { Invocation, Outcome, Ports } from './commands/types';
import type { Logger } from './ports';
import type { BotSettings } from './settings';
import type { BotCore, CardAction } from './surface';
import { ROLLOUT_ID } from './rollout/id';

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
      if (action.verb === 'cancel-sp') return cancelledSp(action.data);
      if (action.verb === 'cancel-schedule-delete') return cancelledScheduleDelete(action.data);
      const text = commandFor(action);
      if (text === null) return invalidAction(action.verb);
      const outcome = await handle({ text, caller: action.caller, channel: action.channel, correlationId: action.correlationId });
      // The clicker is the one waiting for this answer: Slack only answers the clicker for private
      // outcomes, and nothing else would edit the plan card the way request effects edit promotions.
      return action.verb === 'confirm-sp' ? { ...outcome, visibility: 'private' } : outcome;
    },
    kick: () => deps.onActivity?.(),
  };
}

/** Translates a button into command text; anything unexpected is refused rather than guessed. */
export function commandFor(action: Pick<CardAction, 'verb' | 'data'>): string | null {
  if (action.verb === 'confirm-sp') return spConfirmCommand(action.data);
  if (action.verb === 'confirm-schedule-delete') return scheduleDeleteCommand(action.data);
  if (action.verb === 'more') return moreCommand(action.data);
  if (action.verb.startsWith('rollout-')) return rolloutCommandFor(action);
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
    case 'retry':
      return `retry ${requestId}`;
    default:
      return null;
  }
}

/** Pause / Resume / Abort on a rollout card; the id must look like one. */
function rolloutCommandFor(action: Pick<CardAction, 'verb' | 'data'>): string | null {
  const id = typeof action.data.rolloutId === 'string' ? action.data.rolloutId : '';
  const verb = action.verb.slice('rollout-'.length);
  return ROLLOUT_ID.test(id) && ['pause', 'resume', 'abort'].includes(verb) ? `rollout ${verb} ${id}` : null;
}

/**
 * `sp create … --confirm` from the plan card's data, each value checked against a pattern that
 * cannot start a flag or break a quote; a value that fails refuses the whole button.
 */
function spConfirmCommand(data: Record<string, unknown>): string | null {
  const value = (key: keyof typeof CONFIRM_PATTERNS, optional: boolean): string | null | undefined => {
    const v = data[key];
    if (v === undefined && optional) return undefined;
    return typeof v === 'string' && CONFIRM_PATTERNS[key].test(v) ? v : null;
  };
  const project = value('project', false);
  const env = value('env', false);
  const role = value('role', true);
  const scope = value('scope', true);
  const secret = data.secret;
  if (project === null || env === null || role === null || scope === null) return null;
  if (secret !== undefined && secret !== 'true' && secret !== 'false') return null;
  return [
    'sp create', project, env,
    ...(role !== undefined ? [`--role "${role}"`] : []),
    ...(scope !== undefined ? [`--scope ${scope}`] : []),
    ...(secret === 'true' ? ['--secret'] : []),
    '--confirm',
  ].join(' ');
}

/** Cancel changes nothing: it only tells the clicker so. */
function cancelledSp(data: Record<string, unknown>): Outcome {
  const ok = (k: 'project' | 'env') => typeof data[k] === 'string' && CONFIRM_PATTERNS[k].test(data[k] as string);
  const what = ok('project') && ok('env') ? ` for ${String(data.project)} in ${String(data.env)}` : '';
  return {
    status: 'ok',
    visibility: 'private',
    reply: card('notice', { title: 'Cancelled', text: `No service principal was created${what}. Nothing changed.`, tone: 'info' }),
  };
}

/** `schedule delete <name> --env <env> --confirm` from the plan card, each value a checked single token. */
function scheduleDeleteCommand(data: Record<string, unknown>): string | null {
  const { name, env } = data;
  const ok = typeof name === 'string' && SCHEDULE_CONFIRM_PATTERNS.name.test(name) && typeof env === 'string' && SCHEDULE_CONFIRM_PATTERNS.env.test(env);
  return ok ? `schedule delete ${name} --env ${env} --confirm` : null;
}

function cancelledScheduleDelete(data: Record<string, unknown>): Outcome {
  const { name, env } = data;
  const ok = typeof name === 'string' && SCHEDULE_CONFIRM_PATTERNS.name.test(name) && typeof env === 'string' && SCHEDULE_CONFIRM_PATTERNS.env.test(env);
  return {
    status: 'ok',
    visibility: 'private',
    reply: card('notice', { title: 'Cancelled', text: `${ok ? `Schedule ${name} in ${env}` : 'The schedule'} was not deleted. Nothing changed.`, tone: 'info' }),
  };
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
