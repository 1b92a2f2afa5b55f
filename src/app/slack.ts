/** Slack in the running server: Bolt's receiver on `/slack/events` (or Socket Mode), its Chat and Directory. */
import { createSlackSurface } from '../adapters/slack';
import type { SlackRuntime } from '../config';
import type { Logger } from '../core/ports';
import type { HttpServer } from '../http';
import type { ComposedApp } from './compose';
import { slackGroupResolver, warnWithoutGraph } from './graph-directories';

export async function startSlack(app: ComposedApp, http: HttpServer, config: SlackRuntime, log: Logger): Promise<{ stop(): Promise<void> }> {
  // Entra groups in approver lists: Slack users are matched by their email (UPN) in Graph.
  if (!app.graphDirectory) warnWithoutGraph('slack', app.core.settings, log);
  const groups = app.graphDirectory ? slackGroupResolver(app.graphDirectory) : undefined;
  const slack = createSlackSurface({ core: app.core, config, log, ...(groups ? { directory: groups } : {}) });
  app.chat.register('slack', slack.chat);
  app.directory.register('slack', slack.directory);
  app.addEffectHandlers(slack.effectHandlers);
  slack.mount(http);
  http.addReadinessCheck('slack', async () => slack.ready());
  await slack.start();
  return { stop: () => slack.stop() };
}
