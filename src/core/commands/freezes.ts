/** `freezes`: the freezes in force and the next calendar windows, for everyone (DESIGN §9.5). */
import { card } from '../cards/views';
import { utcText } from '../policy/freeze-check';
import { activeFreezes, listAdhoc, upcomingFreezes, type Freeze } from '../policy/freezes';
import type { CommandContext, CommandSpec, Outcome } from './types';

export const freezesCommand: CommandSpec = {
  name: 'freezes',
  summary: 'Deployment freezes in force and coming up',
  usage: 'freezes',
  examples: ['freezes'],
  args: [],
  flags: [],
  permission: 'anyone',
  async handler(ctx: CommandContext): Promise<Outcome> {
    const now = ctx.ports.clock.now();
    const active = activeFreezes(ctx.settings, await listAdhoc(ctx.ports.store), now).sort((a, b) => a.env.localeCompare(b.env) || a.end.localeCompare(b.end));
    const upcoming = upcomingFreezes(ctx.settings, now).sort((a, b) => a.start.localeCompare(b.start));
    const row = (f: Freeze, live: boolean) => ({
      env: f.env,
      window: live ? `now → ${utcText(f.end)}` : `${utcText(f.start).replace(' UTC', '')} → ${utcText(f.end)}`,
      reason: f.reason,
      by: f.kind === 'adhoc' ? `${f.by?.name ?? 'an admin'} (freeze)` : f.source ?? 'calendar',
    });
    return {
      status: 'ok', visibility: 'private',
      reply: card('freezes', {
        title: 'Freezes',
        subtitle: `${active.length} in force, ${upcoming.length} coming up (times in UTC). Rollbacks are allowed during a freeze.`,
        rows: [...active.map((f) => row(f, true)), ...upcoming.map((f) => row(f, false))],
      }),
    };
  },
};
