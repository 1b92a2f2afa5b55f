import { Secret } from '../../src/config';
import { childForInvocation, createLogger, isSecretKey, newCorrelationId, redactKeys, withSecretScrubbing } from '../../src/logging';

function sink() {
  const lines: string[] = [];
  return { lines, write: (line: string) => void lines.push(line), parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const SECRETS = ['xoxb-123-THE-BOT-TOKEN', 'p@ss"w\\rd/with:odd&chars', 'eventgrid-key-value'];

describe('createLogger', () => {
  it('writes JSON lines with level, time, message and fields, and honours the level', () => {
    const out = sink();
    const log = createLogger({ level: 'info', destination: out });
    log.debug({ a: 1 }, 'hidden');
    log.info({ model: 'taxi-model' }, 'promoted');
    const [line] = out.parsed();
    expect(out.lines).toHaveLength(1);
    expect(line).toMatchObject({ level: 'info', msg: 'promoted', model: 'taxi-model' });
    expect(typeof line.time).toBe('string');
  });

  it('never lets a secret value reach the stream, wherever it appears', () => {
    const out = sink();
    const log = createLogger({ level: 'debug', destination: out, secrets: SECRETS });
    log.info({}, `calling Slack with ${SECRETS[0]}`);
    log.warn({ response: { body: JSON.stringify({ note: `pw is ${SECRETS[1]}` }) } }, 'upstream said');
    log.error({ err: new Error(`bad key ${SECRETS[2]}`), url: `https://bot/api/events/eventgrid?code=${encodeURIComponent(SECRETS[1])}` }, 'failed');
    childForInvocation(log, 'c1', { note: `deep ${SECRETS[0]}` }).debug({ list: [[{ x: SECRETS[2] }]] }, 'child');
    const all = out.lines.join('\n');
    expect(out.lines).toHaveLength(4);
    for (const s of SECRETS) {
      expect(all).not.toContain(s);
      expect(all).not.toContain(JSON.stringify(s).slice(1, -1));
      expect(all).not.toContain(encodeURIComponent(s));
    }
    expect(all).not.toMatch(/THE-BOT-TOKEN|with:odd|eventgrid-key-value/);
    expect(out.parsed()[0].msg).toBe('calling Slack with [redacted]');
    expect(out.parsed()[2]).toMatchObject({ err: { type: 'Error', message: 'bad key [redacted]' } });
  });

  it('redacts values under secret-looking keys at any depth, including inside errors', () => {
    const out = sink();
    const log = createLogger({ level: 'info', destination: out });
    const err = Object.assign(new Error('401'), { request: { headers: { Authorization: 'Bearer eyJ.abc', 'x-ms-client-request-id': 'r1' } } });
    log.info({
      headers: { authorization: 'Basic dXNlcjpwdw==', cookie: 'sid=1', accept: 'json' },
      config: { clientSecret: 'cs', nested: { deeper: { password: 'pw', AZURE_DEVOPS_PAT: 'x', pat: 'y', apiKey: 'k' } } },
      token: new Secret('tok'), idempotencyKey: 'promote:r1:start', err,
    }, 'request');
    const line = out.parsed()[0];
    expect(line.headers).toEqual({ authorization: '[redacted]', cookie: '[redacted]', accept: 'json' });
    expect(line.config).toEqual({ clientSecret: '[redacted]', nested: { deeper: { password: '[redacted]', AZURE_DEVOPS_PAT: '[redacted]', pat: '[redacted]', apiKey: '[redacted]' } } });
    expect(line.token).toBe('[redacted]');
    expect(line.idempotencyKey).toBe('promote:r1:start');
    expect(line.err).toMatchObject({ message: '401', request: { headers: { Authorization: '[redacted]', 'x-ms-client-request-id': 'r1' } } });
    expect(out.lines[0]).not.toContain('eyJ.abc');
  });

  it('applies redaction to child bindings and keeps the correlation id on every line', () => {
    const out = sink();
    const log = createLogger({ level: 'info', destination: out });
    const child = childForInvocation(log, 'abc123', { surface: 'slack', signingSecret: 'zzzz' });
    child.child({ step: 'guard' }).info({}, 'checked');
    expect(out.parsed()[0]).toMatchObject({ correlationId: 'abc123', surface: 'slack', signingSecret: '[redacted]', step: 'guard' });
  });

  it('masks secrets added after creation in existing children too', () => {
    const out = sink();
    const log = createLogger({ level: 'info', destination: out });
    const child = log.child({ c: 1 });
    log.addSecrets(['late-secret-value']);
    child.info({ v: 'late-secret-value' }, 'late-secret-value');
    expect(out.lines[0]).not.toContain('late-secret-value');
  });

  it('does not modify the object it is given, and survives cycles', () => {
    const out = sink();
    const log = createLogger({ level: 'info', destination: out });
    const obj: Record<string, unknown> = { password: 'pw', inner: {} };
    (obj.inner as Record<string, unknown>).back = obj;
    log.info(obj, 'cyclic');
    expect(obj.password).toBe('pw');
    expect(out.parsed()[0]).toMatchObject({ password: '[redacted]', inner: { back: '[circular]' } });
  });
});

describe('redaction helpers', () => {
  it.each(['authorization', 'Authorization', 'password', 'token', 'accessToken', 'clientSecret', 'SLACK_SIGNING_SECRET', 'pat', 'key', 'apiKey', 'eventGridKey', 'cookie', 'set-cookie', 'x-slack-signature'])('%s is secret-looking', (k) => {
    expect(isSecretKey(k)).toBe(true);
  });

  it.each(['idempotencyKey', 'dedupeKey', 'model', 'patch', 'keyword', 'monkey', 'correlationId'])('%s is not', (k) => {
    expect(isSecretKey(k)).toBe(false);
  });

  it('turns Buffers and Dates into safe text', () => {
    expect(redactKeys({ body: Buffer.from('secret'), at: new Date(0) })).toEqual({ body: '[6 bytes]', at: '1970-01-01T00:00:00.000Z' });
  });

  it('the scrubber ignores very short values but masks the longest match whole', () => {
    const s = withSecretScrubbing(['ab', 'abcd', 'abcdefgh']);
    expect(s.scrub('ab abcd abcdefgh')).toBe('ab [redacted] [redacted]');
    expect(s.scrub('xabcdefghx')).toBe('x[redacted]x');
  });
});

describe('newCorrelationId', () => {
  it('is short, readable and random', () => {
    const ids = new Set(Array.from({ length: 500 }, newCorrelationId));
    expect(ids.size).toBe(500);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]{12}$/);
  });
});
