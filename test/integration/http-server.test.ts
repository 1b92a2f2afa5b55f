import { request } from 'node:http';
import { createLogger } from '../../src/logging';
import { HttpError, readBody, readJson, ROUTES, sendJson, startHttpServer, type HttpServer } from '../../src/http';

function capture() {
  const lines: string[] = [];
  return { lines, log: createLogger({ level: 'debug', destination: { write: (l: string) => void lines.push(l) } }) };
}

let server: HttpServer;
let logs: ReturnType<typeof capture>;

beforeEach(async () => {
  logs = capture();
  server = await startHttpServer({ port: 0, host: '127.0.0.1', log: logs.log });
});
afterEach(() => server.close());

/** Sends a body in chunks without Content-Length, as a streaming client would. */
function postChunked(path: string, chunks: string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { method: 'POST', headers: { 'transfer-encoding': 'chunked' } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    for (const c of chunks) req.write(c);
    req.end();
  });
}

describe('http server', () => {
  it('listens on a real port and routes exact path + method to registered handlers', async () => {
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    server.route('POST', ROUTES.slackEvents, async (req, res, ctx) => {
      const body = await readBody(req, 1024);
      sendJson(res, 200, { bytes: body.length, echo: body.toString(), correlationId: ctx.correlationId });
    });
    const res = await fetch(`${server.url}/slack/events?retry=1`, { method: 'POST', body: 'a=1&b=2', headers: { 'x-correlation-id': 'given-id-1' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ bytes: 7, echo: 'a=1&b=2', correlationId: 'given-id-1' });
    expect(res.headers.get('x-correlation-id')).toBe('given-id-1');
    expect((await fetch(`${server.url}/slack/events/`, { method: 'POST' })).status).toBe(404);
    expect(() => server.route('post', ROUTES.slackEvents, () => undefined)).toThrow('already registered');
  });

  it('answers 404 JSON for unknown paths and 405 with Allow for a wrong method', async () => {
    const missing = await fetch(`${server.url}/nope`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/json');
    expect(await missing.json()).toMatchObject({ error: 'not_found', correlationId: expect.stringMatching(/^[a-z0-9]{12}$/) });
    server.route('POST', ROUTES.teamsMessages, (_req, res) => sendJson(res, 200, {}));
    const wrong = await fetch(`${server.url}/api/messages`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
    expect(await wrong.json()).toMatchObject({ error: 'method_not_allowed' });
  });

  it('turns a thrown error into a 500 with a correlation id and no stack, and logs the details', async () => {
    server.route('POST', ROUTES.eventGrid, () => {
      throw new Error('database exploded at /srv/secret/path.ts:42');
    });
    const res = await fetch(`${server.url}/api/events/eventgrid?code=THE-KEY-VALUE`, { method: 'POST' });
    const text = await res.text();
    expect(res.status).toBe(500);
    const body = JSON.parse(text);
    expect(body).toEqual({ error: 'internal', message: 'Something went wrong inside the bot.', correlationId: res.headers.get('x-correlation-id') });
    expect(text).not.toMatch(/exploded|\.ts|at /);
    const logged = logs.lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'request handler failed');
    expect(logged).toMatchObject({ correlationId: body.correlationId, path: '/api/events/eventgrid', err: { message: expect.stringContaining('exploded') } });
    expect(logs.lines.join()).not.toContain('THE-KEY-VALUE');
  });

  it('keeps the status and safe message of an HttpError', async () => {
    server.route('POST', ROUTES.azureDevOps, () => {
      throw new HttpError(401, 'unauthorized', 'Basic auth required.');
    });
    const res = await fetch(`${server.url}/api/events/azure-devops`, { method: 'POST' });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'unauthorized', message: 'Basic auth required.' });
  });

  it('bounds the body: 413 by Content-Length and by streamed size; 400 on bad JSON', async () => {
    server.route('POST', '/limited', async (req, res) => sendJson(res, 200, { n: (await readBody(req, 10)).length }));
    server.route('POST', '/json', async (req, res) => sendJson(res, 200, await readJson(req)));
    const declared = await fetch(`${server.url}/limited`, { method: 'POST', body: 'x'.repeat(11) });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ error: 'payload_too_large' });
    const streamed = await postChunked('/limited', ['12345', '67890', 'X']);
    expect(streamed.status).toBe(413);
    expect((await postChunked('/limited', ['12345', '67890'])).body).toBe('{"n":10}');
    const bad = await fetch(`${server.url}/json`, { method: 'POST', body: '{nope' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'invalid_json' });
    const good = await fetch(`${server.url}/json`, { method: 'POST', body: '{"a":[1]}' });
    expect(await good.json()).toEqual({ a: [1] });
  });

  it('GET /healthz is 200 only while every readiness check passes', async () => {
    let storeReady = false;
    server.addReadinessCheck('store', () => storeReady);
    const removeSlack = server.addReadinessCheck('slack', async () => {
      throw new Error('not connected');
    });
    server.addReadinessCheck('teams', async () => true);
    const down = await fetch(`${server.url}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ status: 'unavailable', failing: ['store', 'slack'], checks: { store: 'failing', slack: 'failing', teams: 'ok' } });
    storeReady = true;
    removeSlack();
    const up = await fetch(`${server.url}/healthz`);
    expect(up.status).toBe(200);
    expect(await up.json()).toEqual({ status: 'ok', checks: { store: 'ok', teams: 'ok' } });
  });

  it('serves Prometheus metrics including its own request counts', async () => {
    const custom = server.metrics.counter('mlops_promotions_total', 'Promotion requests.', ['env']);
    custom.inc({ env: 'prod' });
    await fetch(`${server.url}/nope`);
    await fetch(`${server.url}/healthz`);
    const res = await fetch(`${server.url}/metrics`);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    expect(text).toContain('mlops_promotions_total{env="prod"} 1');
    expect(text).toContain('http_requests_total{method="GET",route="unmatched",status="404"} 1');
    expect(text).toContain('http_requests_total{method="GET",route="/healthz",status="200"} 1');
    expect(text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/healthz"\} 1/);
  });

  it('refuses a port already in use with a clear error, and closes cleanly', async () => {
    await expect(startHttpServer({ port: server.port, host: '127.0.0.1', log: logs.log })).rejects.toThrow(`Port ${server.port} is already in use.`);
    await server.close();
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    await server.close();
  });
});
