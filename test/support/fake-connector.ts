/**
 * A Bot Connector stand-in over real HTTP: records what the bot sends at the paths Teams uses
 * (POST v3/conversations/{id}/activities[/{replyToId}], PUT …/activities/{id}) and answers with
 * activity ids the way the real service does.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ConnectorCall {
  method: string;
  path: string;
  conversationId: string;
  /** The reply-to id (POST) or the edited activity id (PUT). */
  activityId?: string;
  authorization?: string;
  body: Record<string, unknown>;
  /** The id the connector gave a new activity. */
  newId?: string;
}

/** A createConversation request (POST v3/conversations) and the id the connector gave the new chat. */
export interface CreatedConversation { body: Record<string, unknown>; id?: string; refused: boolean }

export interface FakeConnector {
  /** The serviceUrl to put in inbound activities (ends with `/`). */
  url: string;
  calls: ConnectorCall[];
  /** createConversation requests, kept apart from `calls` (which are activities). */
  created: CreatedConversation[];
  /** When true, createConversation answers 403 as Teams does when the user has not installed the app. */
  refuseCreate: boolean;
  posts(conversationId?: string): ConnectorCall[];
  updates(activityId?: string): ConnectorCall[];
  close(): Promise<void>;
}

const ACTIVITIES = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/;

export async function startFakeConnector(): Promise<FakeConnector> {
  const calls: ConnectorCall[] = [];
  const created: CreatedConversation[] = [];
  // Assigned below; read by the request handler when a createConversation arrives.
  let self: FakeConnector | undefined;
  let seq = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const text = Buffer.concat(chunks).toString('utf8');
      const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      const match = ACTIVITIES.exec(path);
      const reply = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(json));
      };
      if (path === '/v3/conversations' && req.method === 'POST') {
        if (self?.refuseCreate) {
          created.push({ body, refused: true });
          return reply(403, { error: { code: 'Forbidden', message: 'Bot is not installed in user\'s personal scope' } });
        }
        const id = `a:personal-${++seq}`;
        created.push({ body, id, refused: false });
        return reply(201, { id });
      }
      if (!match || (req.method !== 'POST' && req.method !== 'PUT')) return reply(404, { error: { code: 'NotFound', message: path } });
      const call: ConnectorCall = {
        method: req.method, path, conversationId: decodeURIComponent(match[1]),
        ...(match[2] ? { activityId: decodeURIComponent(match[2]) } : {}),
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        body,
      };
      if (req.method === 'POST') call.newId = `act-${++seq}`;
      calls.push(call);
      reply(req.method === 'POST' ? 201 : 200, { id: call.newId ?? call.activityId });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  self = {
    url: `http://127.0.0.1:${port}/`,
    calls,
    created,
    refuseCreate: false,
    posts: (conversationId) => calls.filter((c) => c.method === 'POST' && (conversationId === undefined || c.conversationId === conversationId)),
    updates: (activityId) => calls.filter((c) => c.method === 'PUT' && (activityId === undefined || c.activityId === activityId)),
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
  return self;
}
