/** The serving port of an installation, or a clear answer that it is not set up. */
import { BotError } from '../errors';
import type { Serving } from '../ports';

export function requireServing(serving: Serving | undefined): Serving {
  if (serving) return serving;
  throw new BotError('config_invalid', 'Reading Azure ML endpoints is not set up in this installation.', {
    remedy: 'Ask the bot operator to connect the Azure ML workspaces of the environments.',
  });
}

export const pct = (n: number | undefined): string => (n === undefined ? '—' : `${n}%`);
