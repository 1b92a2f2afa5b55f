/**
 * Teams in the running server: the surface on `/api/messages`, its Chat for `teams:` channels, and
 * in demo mode the Agents Playground as the Teams-like client, with the demo config's Teams channel
 * names pointed at the Playground's group chat (the one every mock user is in).
 */
import { createTeamsSurface, type AppMode, type TeamsSurface } from '../adapters/teams';
import type { ChartLinks } from '../adapters/charts';
import type { RuntimeConfig } from '../config';
import type { ChartSpec } from '../core/charts/types';
import type { Logger } from '../core/ports';
import type { BotSettings } from '../core/settings';
import type { HttpServer } from '../http';
import { PLAYGROUND_CONVERSATIONS, playgroundConversations, startPlayground, type Playground } from '../playground';
import type { ComposedApp } from './compose';
import { TeamsGraphDirectory, warnWithoutGraph } from './graph-directories';

/** `mode` decides whether Teams may run without an app id (demo only, or MLOPS_TEAMS_LOCAL); absent = configured. */
export function startTeams(app: ComposedApp, http: HttpServer, runtime: RuntimeConfig, log: Logger, mode: AppMode = 'configured', charts?: ChartLinks): TeamsSurface {
  const chartUrl = charts ? (chart: ChartSpec) => charts.url(chart) : undefined;
  const surface = createTeamsSurface({ core: app.core, config: { ...runtime.teams, appMode: mode, ...(chartUrl ? { chartUrl } : {}) }, log });
  // Teams off (config, no app id): the surface logged why and what to set; `teams:` stays unregistered.
  if (!surface.enabled) return surface;
  app.chat.register('teams', surface.chat);
  // Teams users are Entra users: without Graph their emails and groups stay unknown (denied).
  if (app.graphDirectory) app.directory.register('teams', new TeamsGraphDirectory(app.graphDirectory, app.store));
  else warnWithoutGraph('teams', app.core.settings, log);
  surface.mount(http);
  http.addReadinessCheck('teams', async () => surface.ready());
  return surface;
}

export async function reportUnreachableTeamsChannels(surface: TeamsSurface, settings: BotSettings, log: Logger): Promise<void> {
  const channels = settings.environments.flatMap((e) => [...e.channels.approvals, ...e.channels.audit, ...e.channels.notifications]).filter((c) => c.startsWith('teams:'));
  for (const missing of await surface.missingReferences([...new Set(channels)])) log.warn({ ...missing }, 'a configured Teams channel cannot be reached yet');
}

export async function startDemoPlayground(surface: TeamsSurface, settings: BotSettings, botUrl: string, dataDir: string, env: Record<string, string | undefined>, log: Logger): Promise<Playground> {
  const playground = await startPlayground({ botEndpoint: `${botUrl}/api/messages`, dataDir, log, env: { PATH: env.PATH, HOME: env.HOME } });
  for (const conversation of playgroundConversations(playground.url)) await surface.addConversation(conversation);
  const teamsNames = settings.environments.flatMap((e) => [...e.channels.approvals, ...e.channels.audit, ...e.channels.notifications]).filter((c) => c.startsWith('teams:'));
  for (const name of new Set(teamsNames)) await surface.link(name, PLAYGROUND_CONVERSATIONS.group);
  return playground;
}
