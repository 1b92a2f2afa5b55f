/**
 * Sorts an inbound activity into what the bot does with it: a typed command, a card action
 * (Action.Execute invoke or Action.Submit message), an installation, or nothing.
 */
import type { InboundActivity } from './types';

export const CARD_ACTION_INVOKE = 'adaptiveCard/action';

export type Inbound =
  | { kind: 'command'; text: string }
  | { kind: 'action'; via: 'execute' | 'submit'; verb: string; data: Record<string, unknown>; trigger: 'manual' | 'automatic' }
  | { kind: 'installed' }
  | { kind: 'uninstalled' }
  | { kind: 'unsupported_invoke'; name: string }
  | { kind: 'ignored' };

const INSTALL_TYPES = new Set(['conversationUpdate', 'installationUpdate']);

/** `text` is the message text with the bot's mention already removed. */
export function classify(activity: InboundActivity, text: string): Inbound {
  if (activity.type === 'message') {
    const value = record(activity.value);
    if (value) return submitted(value);
    const clean = text.replace(/\u00a0|&nbsp;/g, ' ').trim();
    return { kind: 'command', text: clean === '' ? 'help' : clean };
  }
  if (activity.type === 'invoke') {
    if (activity.name !== CARD_ACTION_INVOKE) return { kind: 'unsupported_invoke', name: activity.name ?? '' };
    const value = record(activity.value) ?? {};
    const action = record(value.action) ?? {};
    // The Agents Playground sends no trigger at all; Teams sends "manual" for clicks.
    const trigger = value.trigger === 'automatic' ? 'automatic' : 'manual';
    return { kind: 'action', via: 'execute', verb: stringOr(action.verb, ''), data: record(action.data) ?? {}, trigger };
  }
  if (activity.type === 'installationUpdate' && activity.action?.startsWith('remove')) return { kind: 'uninstalled' };
  if (INSTALL_TYPES.has(activity.type)) return { kind: 'installed' };
  return { kind: 'ignored' };
}

/** Action.Submit: the button's data (with our `verb`) merged with the card's input values. */
function submitted(value: Record<string, unknown>): Inbound {
  const { verb, msteams: _msteams, ...data } = value;
  if (typeof verb !== 'string' || verb === '') return { kind: 'ignored' };
  return { kind: 'action', via: 'submit', verb, data, trigger: 'manual' };
}

function record(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function stringOr(v: unknown, fallback: string): string {
  return typeof v === 'string' ? v : fallback;
}
