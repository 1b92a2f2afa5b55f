/**
 * manifest/slack/manifest.yaml is what a user pastes into "Create app from manifest": it must parse,
 * point every Slack delivery at /slack/events, declare the command the code listens to, and grant
 * exactly the scopes the Web API methods used by src/adapters/slack need (least privilege).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DEFAULT_COMMAND, HANDLED_EVENTS } from '../../src/adapters/slack';
import { ROUTES } from '../../src/http';

interface Manifest {
  _metadata: { major_version: number };
  display_information: { name: string; description: string; long_description: string };
  features: { bot_user: { display_name: string }; slash_commands: { command: string; url: string; usage_hint: string; description: string }[] };
  oauth_config: { scopes: { bot: string[]; user?: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
    socket_mode_enabled: boolean;
  };
}

const root = join(__dirname, '../..');
const manifest = parse(readFileSync(join(root, 'manifest/slack/manifest.yaml'), 'utf8')) as Manifest;
const adapter = readdirSync(join(root, 'src/adapters/slack')).map((f) => readFileSync(join(root, 'src/adapters/slack', f), 'utf8')).join('\n');

/** Scopes per Web API method (docs.slack.dev method pages); views.open needs only a trigger_id. */
const SCOPES: Record<string, string[]> = {
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'conversations.open': ['im:write'],
  // A card whose post answer was lost is looked up before it is posted again (public, private, DM).
  'conversations.history': ['channels:history', 'groups:history', 'im:history'],
  'users.info': ['users:read'],
  'views.open': [],
  // files.uploadV2 is getUploadURLExternal + completeUploadExternal: both need files:write.
  'files.uploadV2': ['files:write'],
  'auth.test': [],
};

describe('Slack app manifest', () => {
  it('parses and describes the app', () => {
    expect(manifest._metadata.major_version).toBe(1);
    expect(manifest.display_information.name).toBe('MLOps Bot');
    expect(manifest.display_information.description.length).toBeLessThanOrEqual(140);
    expect(manifest.display_information.long_description.length).toBeGreaterThanOrEqual(175);
    expect(manifest.features.bot_user.display_name).toBeTruthy();
  });

  it('declares the slash command the code listens to, with a usage hint', () => {
    const [command, ...others] = manifest.features.slash_commands;
    expect(others).toEqual([]);
    expect(command.command).toBe(DEFAULT_COMMAND);
    expect(command.usage_hint).toContain('promote');
    expect(command.description.length).toBeLessThanOrEqual(100);
  });

  it('sends commands, interactivity and events to /slack/events, over HTTP by default', () => {
    const urls = [manifest.features.slash_commands[0].url, manifest.settings.interactivity.request_url, manifest.settings.event_subscriptions.request_url];
    for (const url of urls) expect(url).toBe(`https://YOUR-HOST${ROUTES.slackEvents}`);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });

  it('subscribes to exactly the events the code handles', () => {
    expect([...HANDLED_EVENTS].sort()).toEqual([...manifest.settings.event_subscriptions.bot_events].sort());
    expect(adapter).not.toMatch(/app\.event\('/); // events are registered from HANDLED_EVENTS only
  });

  it('grants exactly the bot scopes the Web API calls in the adapter need', () => {
    const called = new Set([...adapter.matchAll(/client\.(chat|conversations|users|views|auth|files)\.(\w+)\(/g)].map((m) => `${m[1]}.${m[2]}`));
    expect([...called].sort()).toEqual(['chat.postEphemeral', 'chat.postMessage', 'chat.update', 'conversations.history', 'conversations.open', 'files.uploadV2', 'users.info', 'views.open']);
    const needed = new Set(['commands', 'users:read.email', ...[...called].flatMap((m) => SCOPES[m] ?? [`unknown scope for ${m}`])]);
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
    expect(manifest.oauth_config.scopes.user ?? []).toEqual([]);
    expect(manifest.oauth_config.scopes.bot).not.toContain('chat:write.public');
  });
});
