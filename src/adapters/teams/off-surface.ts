/**
 * The Teams surface when Teams is off (a configured installation without MicrosoftAppId): no
 * endpoint, and every `teams:` channel reports why it cannot be reached and what to set.
 */
import { BotError } from '../../core/errors';
import type { Chat } from '../../core/ports';
import type { TeamsSurface } from './surface';

export function offSurface(off: { reason: string; fix: string }): TeamsSurface {
  const refuse = (channel: string): never => {
    throw new BotError('config_invalid', `Cannot deliver to ${channel}: ${off.reason}`, { remedy: off.fix, details: { channel } });
  };
  const chat: Chat = {
    post: async (channel) => refuse(channel),
    update: async (ref) => refuse(ref.channel),
  };
  return {
    enabled: false,
    chat,
    mount: () => undefined,
    ready: () => false,
    missingReferences: async (channels) => [...new Set(channels)].filter((c) => c.startsWith('teams:')).map((channel) => ({ channel, fix: `${off.reason} ${off.fix}` })),
    link: async () => undefined,
    addConversation: async () => undefined,
  };
}
