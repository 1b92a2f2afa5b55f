/**
 * Fault suite, items 8 and 10: cheap refusal before work at the Slack endpoint (a body trickled
 * byte by byte, a large unsigned body), and refused commands that cannot flood the audit channel.
 */
import { connect } from 'node:net';
import { faultRig, waitFor, type FaultRig } from '../support/fault-rig';

jest.setTimeout(60_000);

let rig: FaultRig;
beforeAll(async () => { rig = await faultRig(); });
afterAll(async () => { await rig.close(); });

/** Sends the head of a request and `body` bytes, then nothing more; resolves with what the server said (or '' when it closed). */
function partialRequest(url: string, headers: Record<string, string>, body: Buffer, waitMs: number): Promise<{ answer: string; closed: boolean }> {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let answer = '';
    let closed = false;
    const done = () => { clearTimeout(timer); socket.destroy(); resolve({ answer, closed }); };
    const timer = setTimeout(done, waitMs);
    socket.on('data', (d) => { answer += d.toString('utf8'); if (answer.includes('\r\n\r\n')) done(); });
    socket.on('close', () => { closed = true; done(); });
    socket.on('error', () => undefined);
    socket.on('connect', () => {
      const head = [`POST ${pathname} HTTP/1.1`, `Host: ${hostname}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n');
      socket.write(head);
      socket.write(body);
    });
  });
}

const slackUrl = () => `${rig.server.url}/slack/events`;
const now = () => String(Math.floor(Date.now() / 1000));

it('a body trickled slowly does not hold the connection: the server gives up on it (item 8)', async () => {
  const r = await partialRequest(slackUrl(), { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '1000', 'x-slack-request-timestamp': now(), 'x-slack-signature': 'v0=00' }, Buffer.from('token=a&'), 10_000);
  expect(r.closed || /^HTTP\/1\.1 408/.test(r.answer)).toBe(true);
});

it('an unsigned 4 MB body is refused at once, without being read (item 8)', async () => {
  const r = await partialRequest(slackUrl(), { 'content-type': 'application/json', 'content-length': String(4 * 1024 * 1024) }, Buffer.alloc(64 * 1024, 'a'), 5000);
  expect(r.answer).toMatch(/^HTTP\/1\.1 401/);
});

it('a signed-looking body larger than Slack sends is refused before it is read (item 8)', async () => {
  const r = await partialRequest(slackUrl(), { 'content-type': 'application/json', 'content-length': String(4 * 1024 * 1024), 'x-slack-request-timestamp': now(), 'x-slack-signature': 'v0=00' }, Buffer.alloc(1024, 'a'), 5000);
  expect(r.answer).toMatch(/^HTTP\/1\.1 413/);
});

it('a forged signature is refused with 401 and reaches nothing', async () => {
  const res = await fetch(slackUrl(), { method: 'POST', headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': now(), 'x-slack-signature': `v0=${'0'.repeat(64)}` }, body: '{"type":"url_verification","challenge":"x"}' });
  expect(res.status).toBe(401);
});

it('a flood of refused commands reaches the audit channel as one summary a window, naming them all (item 10)', async () => {
  const before = rig.api.inChannel('C0AUDIT').length;
  for (let i = 0; i < 12; i++) await rig.command('U0CAROL', 'sp create fraud prod');
  await rig.surface.idle();
  const summaries = () => rig.api.inChannel('C0AUDIT').slice(before).filter((m) => /refused command/.test(m.text + JSON.stringify(m.blocks)));
  await waitFor('the refusals summarised', () => summaries().reduce((n, m) => n + Number(/(\d+) refused command/.exec(m.text + JSON.stringify(m.blocks))?.[1] ?? 0), 0) === 12, 20_000);
  expect(summaries().length).toBeLessThanOrEqual(2);
  expect(rig.api.inChannel('C0AUDIT').slice(before).length).toBe(summaries().length);
  expect(JSON.stringify(summaries().map((m) => m.blocks))).toContain('slack:U0CAROL: sp create');
  // Every refusal is still its own entry in the audit log.
  expect((await rig.app.store.listAudit({})).filter((e) => e.action === 'command.refused')).toHaveLength(12);
});
