/**
 * The Slack side of the wire for tests and benchmarks, over real HTTP on loopback:
 * - FakeSlackApi: the Web API methods the bot calls (form-encoded like the real client sends them,
 *   recorded with their arguments) plus response_url endpoints; it can answer 429 + Retry-After.
 * - SlackSender: signs and sends slash commands, interactions and events to the bot like Slack does.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** `at`: when the call arrived (ms since the epoch), for pacing checks. */
export interface ApiCall { method: string; args: Record<string, unknown>; token?: string; at: number }
export interface ResponseUrlCall { id: string; body: Record<string, unknown> }
export interface FakeMessage { channel: string; ts: string; text: string; blocks: unknown[]; edits: number; metadata?: { event_type: string; event_payload: Record<string, unknown> } }

export const BOT = { userId: 'U0BOT', botId: 'B0BOT', teamId: 'T0TEAM' } as const;

/** A file of files.uploadV2: announced (getUploadURLExternal), its bytes posted, then completed. */
export interface FakeFile { id: string; filename: string; length: number; altText?: string; title?: string; bytes?: Buffer; completed: boolean; channel?: string }

export class FakeSlackApi {
  readonly calls: ApiCall[] = [];
  readonly responses: ResponseUrlCall[] = [];
  readonly messages = new Map<string, FakeMessage>();
  /** users.info answers; absent users are `user_not_found`. */
  readonly users = new Map<string, { name: string; email?: string; is_bot?: boolean }>();
  /** Channels the bot was not invited to: chat.postMessage answers `not_in_channel`. */
  readonly notInChannel = new Set<string>();
  private readonly rateLimited = new Map<string, number>();
  private readonly usedTriggers = new Set<string>();
  /** Files by id, as uploaded with files.getUploadURLExternal → upload URL → files.completeUploadExternal. */
  readonly files = new Map<string, FakeFile>();
  /** When set, the upload URL answers 500 (a failed upload). */
  failUploads = false;
  /** Socket Mode: the WebSocket URL apps.connections.open hands out (app-level tokens only). */
  socketUrl = '';
  private seq = 100;
  private server?: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  get apiUrl(): string { return `${this.url}/api/`; }
  responseUrl(id: string): string { return `${this.url}/response/${id}`; }
  /** The next call of `method` answers 429 with this Retry-After (seconds). */
  rateLimitNext(method: string, retryAfterSeconds: number): void { this.rateLimited.set(method, retryAfterSeconds); }
  callsOf(method: string): ApiCall[] { return this.calls.filter((c) => c.method === method); }
  responsesTo(id: string): Record<string, unknown>[] { return this.responses.filter((r) => r.id === id).map((r) => r.body); }
  inChannel(channel: string): FakeMessage[] { return [...this.messages.values()].filter((m) => m.channel === channel); }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const bytes = await new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks)));
    });
    const raw = bytes.toString('utf8');
    const path = new URL(req.url ?? '/', this.url).pathname;
    if (path.startsWith('/upload/v1/')) {
      await this.upload(path.slice('/upload/v1/'.length), req, bytes, res);
      return;
    }
    if (path.startsWith('/response/')) {
      this.responses.push({ id: path.slice('/response/'.length), body: JSON.parse(raw || '{}') as Record<string, unknown> });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    const method = path.replace(/^\/api\//, '');
    const args = parseArgs(raw, String(req.headers['content-type'] ?? ''));
    const auth = req.headers.authorization;
    this.calls.push({ method, args, token: auth?.replace(/^Bearer /, ''), at: Date.now() });
    const limited = this.rateLimited.get(method);
    if (limited !== undefined) {
      this.rateLimited.delete(method);
      res.writeHead(429, { 'retry-after': String(limited), 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      return;
    }
    const answer = auth?.startsWith('Bearer xoxb-') ? this.answer(method, args)
      : auth?.startsWith('Bearer xapp-') && method === 'apps.connections.open' ? { ok: true, url: this.socketUrl }
      : { ok: false, error: 'not_authed' };
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(answer));
  }

  /** The upload URL: the file's bytes as a multipart form (as the Web API client posts them) or raw. */
  private async upload(id: string, req: IncomingMessage, bytes: Buffer, res: ServerResponse): Promise<void> {
    const file = this.files.get(id);
    if (!file || this.failUploads) {
      res.writeHead(file ? 500 : 404, { 'content-type': 'text/plain' }).end(file ? 'upload failed' : 'not found');
      return;
    }
    const type = String(req.headers['content-type'] ?? '');
    let body = bytes;
    if (type.startsWith('multipart/form-data')) {
      const form = await new Request('http://upload', { method: 'POST', headers: { 'content-type': type }, body: bytes }).formData();
      const part = [...form.values()].find((v) => typeof v !== 'string') as Blob | undefined;
      body = part ? Buffer.from(await part.arrayBuffer()) : Buffer.alloc(0);
    }
    if (body.length !== file.length) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('length mismatch');
      return;
    }
    file.bytes = body;
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${body.length}`);
  }

  /** Image blocks may show only files that were uploaded and completed (else Slack answers invalid_blocks). */
  private unknownFiles(blocks: unknown): Record<string, unknown> | undefined {
    const images = Array.isArray(blocks) ? (blocks as { type?: string; slack_file?: { id?: string } }[]).filter((b) => b.type === 'image' && b.slack_file) : [];
    const bad = images.find((b) => !this.files.get(String(b.slack_file?.id))?.completed);
    return bad ? { ok: false, error: 'invalid_blocks', errors: [`invalid slack file [json-pointer:/blocks/0/slack_file/id]`] } : undefined;
  }

  private answer(method: string, a: Record<string, unknown>): Record<string, unknown> {
    const channel = String(a.channel ?? '');
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://contoso.slack.com/', team: 'Contoso', user: 'mlops', team_id: BOT.teamId, user_id: BOT.userId, bot_id: BOT.botId };
      case 'files.getUploadURLExternal': {
        const length = Number(a.length);
        if (!a.filename || !Number.isInteger(length) || length <= 0) return { ok: false, error: 'invalid_arguments' };
        const id = `F0${String(++this.seq).padStart(8, '0')}`;
        this.files.set(id, { id, filename: String(a.filename), length, completed: false, ...(a.alt_txt ?? a.alt_text ? { altText: String(a.alt_txt ?? a.alt_text) } : {}) });
        return { ok: true, upload_url: `${this.url}/upload/v1/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal': {
        const list = a.files as { id?: string; title?: string }[] | undefined;
        if (!Array.isArray(list) || list.length === 0) return { ok: false, error: 'invalid_arguments' };
        const done: FakeFile[] = [];
        for (const f of list) {
          const file = this.files.get(String(f.id));
          if (!file?.bytes) return { ok: false, error: 'file_not_found' };
          Object.assign(file, { completed: true, ...(f.title ? { title: f.title } : {}), ...(a.channel_id ? { channel: String(a.channel_id) } : {}) });
          done.push(file);
        }
        return { ok: true, files: done.map((f) => fileObject(f)) };
      }
      case 'chat.postMessage': {
        if (this.notInChannel.has(channel)) return { ok: false, error: 'not_in_channel' };
        const unknown = this.unknownFiles(a.blocks);
        if (unknown) return unknown;
        const ts = `${Math.floor(Date.now() / 1000)}.${String(++this.seq).padStart(6, '0')}`; // seconds as Slack gives them: history is read by time
        const metadata = a.metadata as FakeMessage['metadata'] | undefined;
        this.messages.set(`${channel}/${ts}`, { channel, ts, text: String(a.text ?? ''), blocks: (a.blocks as unknown[]) ?? [], edits: 0, ...(metadata ? { metadata } : {}) });
        return { ok: true, channel, ts, message: { type: 'message', text: a.text, ts, bot_id: BOT.botId } };
      }
      case 'chat.update': {
        const unknown = this.unknownFiles(a.blocks);
        if (unknown) return unknown;
        const m = this.messages.get(`${channel}/${String(a.ts)}`);
        if (!m) return { ok: false, error: 'message_not_found' };
        Object.assign(m, { text: String(a.text ?? ''), blocks: (a.blocks as unknown[]) ?? [], edits: m.edits + 1 });
        return { ok: true, channel, ts: m.ts, text: m.text };
      }
      case 'chat.postEphemeral':
        return { ok: true, message_ts: `1700000000.${String(++this.seq).padStart(6, '0')}` };
      case 'views.open': {
        const trigger = String(a.trigger_id ?? '');
        if (this.usedTriggers.has(trigger)) return { ok: false, error: 'exchanged_trigger_id' };
        this.usedTriggers.add(trigger);
        return { ok: true, view: { id: `V${++this.seq}`, ...(a.view as object) } };
      }
      case 'users.info': {
        const id = String(a.user ?? '');
        const u = this.users.get(id);
        if (!u) return { ok: false, error: 'user_not_found' };
        return { ok: true, user: { id, name: u.name, deleted: false, is_bot: u.is_bot ?? false, profile: { real_name: u.name, ...(u.email ? { email: u.email } : {}) } } };
      }
      case 'conversations.history': {
        // Newest first; metadata only with include_all_metadata, as Slack does.
        const oldest = Number(a.oldest ?? 0);
        const withMeta = a.include_all_metadata === true || a.include_all_metadata === 'true';
        const messages = this.inChannel(channel).filter((m) => Number(m.ts) >= oldest).reverse().slice(0, Number(a.limit ?? 100))
          .map((m) => ({ type: 'message', ts: m.ts, text: m.text, bot_id: BOT.botId, ...(withMeta && m.metadata ? { metadata: m.metadata } : {}) }));
        return { ok: true, messages, has_more: false };
      }
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(a.users ?? '').replace(/^U/, '')}` } };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}

/** A file object as files.completeUploadExternal returns it (the fields a client reads). */
function fileObject(f: FakeFile): Record<string, unknown> {
  return {
    id: f.id, created: Math.floor(Date.now() / 1000), name: f.filename, title: f.title ?? f.filename, mimetype: 'image/png', filetype: 'png',
    pretty_type: 'PNG', user: BOT.userId, size: f.bytes?.length ?? 0, is_external: false, is_public: f.channel !== undefined,
    url_private: `https://files.slack.com/files-pri/${BOT.teamId}-${f.id}/${f.filename}`, permalink: `https://contoso.slack.com/files/${BOT.userId}/${f.id}/${f.filename}`,
    ...(f.altText ? { alt_txt: f.altText } : {}),
  };
}

/** Form fields as the Web API client sends them: objects and arrays arrive JSON-encoded. */
function parseArgs(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.startsWith('application/json')) return JSON.parse(raw || '{}') as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) out[k] = /^[[{]/.test(v) ? JSON.parse(v) : v;
  return out;
}

// ——— Slack → bot ———

export const FORM = 'application/x-www-form-urlencoded';

export interface SendOptions {
  contentType?: string;
  /** Seconds since the epoch to sign with (default now). */
  timestamp?: number;
  signature?: string;
  omitHeaders?: ('signature' | 'timestamp')[];
  retryNum?: number;
}

export interface Delivery { status: number; text: string; json(): Record<string, unknown>; correlationId: string | null }

/** A slash command's form fields as Slack posts them. */
export function slashCommandFields(user: { id: string; name: string }, text: string, at: { channel: string; responseUrl: string; trigger: string }): Record<string, string> {
  return {
    token: 'legacy-verification-token', team_id: BOT.teamId, team_domain: 'contoso', channel_id: at.channel, channel_name: 'general',
    user_id: user.id, user_name: user.name, command: '/mlops', text, api_app_id: 'A0MLOPS', response_url: at.responseUrl, trigger_id: at.trigger,
  };
}

/** A block_actions payload for a click on one button of a bot message. */
export function buttonClickPayload(
  user: { id: string; name: string }, button: { actionId: string; value: string; actionTs: string },
  on: { channel: string; ts: string; responseUrl: string; trigger: string },
): Record<string, unknown> {
  return {
    type: 'block_actions', user: { id: user.id, username: user.name, name: user.name, team_id: BOT.teamId }, api_app_id: 'A0MLOPS',
    container: { type: 'message', message_ts: on.ts, channel_id: on.channel, is_ephemeral: false }, trigger_id: on.trigger,
    team: { id: BOT.teamId, domain: 'contoso' }, channel: { id: on.channel, name: 'approvals' },
    message: { type: 'message', user: BOT.userId, ts: on.ts, text: 'card' }, state: { values: {} }, response_url: on.responseUrl,
    actions: [{ action_id: button.actionId, block_id: 'b1', type: 'button', text: { type: 'plain_text', text: button.actionId }, value: button.value, action_ts: button.actionTs }],
  };
}

export function sign(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export class SlackSender {
  constructor(private readonly endpoint: string, private readonly signingSecret: string) {}

  command(fields: Record<string, string>, opts: SendOptions = {}): Promise<Delivery> {
    return this.send(new URLSearchParams(fields).toString(), { contentType: FORM, ...opts });
  }

  interaction(payload: unknown, opts: SendOptions = {}): Promise<Delivery> {
    return this.send(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), { contentType: FORM, ...opts });
  }

  event(body: unknown, opts: SendOptions = {}): Promise<Delivery> {
    return this.send(JSON.stringify(body), { contentType: 'application/json', ...opts });
  }

  async send(body: string, opts: SendOptions = {}): Promise<Delivery> {
    const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = { 'content-type': opts.contentType ?? FORM };
    if (!opts.omitHeaders?.includes('timestamp')) headers['x-slack-request-timestamp'] = String(timestamp);
    if (!opts.omitHeaders?.includes('signature')) headers['x-slack-signature'] = opts.signature ?? sign(this.signingSecret, timestamp, body);
    if (opts.retryNum !== undefined) Object.assign(headers, { 'x-slack-retry-num': String(opts.retryNum), 'x-slack-retry-reason': 'http_timeout' });
    const res = await fetch(this.endpoint, { method: 'POST', headers, body });
    const text = await res.text();
    return { status: res.status, text, json: () => JSON.parse(text) as Record<string, unknown>, correlationId: res.headers.get('x-correlation-id') };
  }
}
