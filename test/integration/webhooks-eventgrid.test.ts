import http from 'node:http';
import { createEventGridHandler } from '../../src/adapters/webhooks';
import { fixture, runStatusEvent } from '../unit/notifications-support';
import { EVENTGRID_KEY, Harness } from './webhooks-support';

let h: Harness;
beforeEach(async () => { h = new Harness(); await h.start(); });
afterEach(async () => { await h.dispose(); });

const prodFailure = (id: string, schema: 'eventgridschema' | 'cloudevents' = 'eventgridschema', extra: { status?: string } = {}) =>
  runStatusEvent(schema, { id, env: 'prod', runId: `train-${id}`, ...extra });

describe('Event Grid intake: handshakes', () => {
  it('answers the subscription validation with 200 and the code, and records nothing', async () => {
    const res = await h.eventGrid(fixture('eventgrid', 'subscription-validation-event.json'), { headers: { 'aeg-event-type': 'SubscriptionValidation' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(fixture('eventgrid', 'subscription-validation-response.json'));
    expect(h.rows()).toEqual({ effects: 0, seen: 0 });
  });

  it('answers the CloudEvents OPTIONS handshake by echoing the origin', async () => {
    const res = await h.eventGrid(undefined, { method: 'OPTIONS', headers: { 'WebHook-Request-Origin': 'eventgrid.azure.net' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('webhook-allowed-origin')).toBe('eventgrid.azure.net');
  });
});

describe('Event Grid intake: authentication', () => {
  it.each([
    ['a wrong code', 'not-the-key'],
    ['no code', null],
    ['the code in other case', EVENTGRID_KEY.toUpperCase()],
    ['the code with a suffix', `${EVENTGRID_KEY}x`],
  ])('refuses %s with 401 and changes nothing', async (_label, code) => {
    const deliveries = [
      await h.eventGrid([prodFailure('a1')], { code }),
      await h.eventGrid([prodFailure('a1', 'cloudevents')], { code, contentType: 'application/cloudevents-batch+json' }),
      await h.eventGrid(fixture('eventgrid', 'subscription-validation-event.json'), { code, headers: { 'aeg-event-type': 'SubscriptionValidation' } }),
      await h.eventGrid(undefined, { code, method: 'OPTIONS', headers: { 'WebHook-Request-Origin': 'eventgrid.azure.net' } }),
    ];
    expect(deliveries.map((r) => r.status)).toEqual([401, 401, 401, 401]);
    expect(deliveries[3].headers.get('webhook-allowed-origin')).toBeNull();
    await h.drain();
    expect(h.rows()).toEqual({ effects: 0, seen: 0 });
    expect(h.chat.posts).toHaveLength(0);
    expect(h.log.text()).not.toContain(EVENTGRID_KEY);
  });
});

describe('Event Grid intake: deliveries', () => {
  it('delivers an Event Grid schema event once, however often it is redelivered', async () => {
    const first = await h.eventGrid([prodFailure('b1')]);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ accepted: 1, duplicates: 0, deliveries: 1 });
    await h.drain();
    const again = await h.eventGrid([prodFailure('b1')]);
    expect(await again.json()).toMatchObject({ accepted: 0, duplicates: 1 });
    await h.drain();
    expect(h.chat.posts).toHaveLength(1);
    expect(h.chat.posts[0].ref.channel).toBe('slack:C0ALERTS');
    expect(h.chat.posts[0].message).toMatchObject({ template: 'run-failed', data: { title: 'Azure ML job failed in prod: train-b1' } });
  });

  it('accepts CloudEvents single and batch, and treats the same event in the other schema as a duplicate', async () => {
    const single = await h.eventGrid(prodFailure('c1', 'cloudevents'), { contentType: 'application/cloudevents+json; charset=utf-8' });
    const batch = await h.eventGrid([prodFailure('c2', 'cloudevents'), prodFailure('c3', 'cloudevents')], { contentType: 'application/cloudevents-batch+json' });
    const crossSchema = await h.eventGrid([prodFailure('c1')]);
    expect([single.status, batch.status, crossSchema.status]).toEqual([200, 200, 200]);
    expect(await crossSchema.json()).toMatchObject({ accepted: 0, duplicates: 1 });
    await h.drain();
    expect(h.delivered('slack:C0ALERTS')).toEqual(['aml:runstatuschanged:c1', 'aml:runstatuschanged:c2', 'aml:runstatuschanged:c3']);
  });

  it('tolerates casing quirks and ignores what it does not notify about', async () => {
    const pascal = prodFailure('d2');
    pascal.data = { ExperimentName: 'taxi', RunId: 'train-d2', RunStatus: 'FAILED' };
    const res = await h.eventGrid([prodFailure('d1', 'eventgridschema', { status: 'Failed' }), pascal, prodFailure('d3', 'eventgridschema', { status: 'Running' }),
      ...fixture<unknown[]>('eventgrid', 'ml-ModelRegistered.eventgridschema.json'), { id: 'x', eventType: 'Contoso.Unknown', data: {} }]);
    expect(await res.json()).toMatchObject({ accepted: 3, ignored: 2, unrouted: 1, deliveries: 2 });
    await h.drain();
    expect(h.delivered('slack:C0ALERTS')).toEqual(['aml:runstatuschanged:d1', 'aml:runstatuschanged:d2']);
  });

  it('refuses oversized, malformed and non-JSON bodies without recording anything', async () => {
    await h.current.stop();
    await h.start({ maxBodyBytes: 4096 });
    const big = await h.eventGrid(Array.from({ length: 20 }, (_, i) => prodFailure(`big-${i}`)));
    const bad = await h.eventGrid('[{"id": ');
    const text = await h.eventGrid('hello', { contentType: 'text/plain' });
    const get = await fetch(`${h.current.url}/api/events/eventgrid?code=${EVENTGRID_KEY}`);
    expect([big.status, bad.status, text.status, get.status]).toEqual([413, 400, 415, 405]);
    expect(h.rows()).toEqual({ effects: 0, seen: 0 });
  });
});

describe('Event Grid intake: a restart in the middle of a burst', () => {
  it('loses nothing and doubles nothing, in both schemas', async () => {
    await h.current.notifications.book.add({ id: 'failed-runs|*|', channel: 'teams:19:ops', kind: 'failed-runs', filter: '', origin: 'command' });
    const ids = Array.from({ length: 30 }, (_, i) => `r${i}`);
    const batch = (from: number, to: number, schema: 'eventgridschema' | 'cloudevents') => ids.slice(from, to).map((id) => prodFailure(id, schema));

    await h.eventGrid(batch(0, 2, 'eventgridschema'));
    await h.current.worker.runOnce(); // the first cards go out
    await h.eventGrid(batch(2, 12, 'cloudevents'), { contentType: 'application/cloudevents-batch+json' });
    await h.eventGrid(batch(12, 20, 'eventgridschema'));
    await h.current.worker.runOnce(); // part of the burst is folded, part waits for the channel's turn
    await h.current.store.claimEffects(h.clock.now(), 5, 30_000); // a worker dies holding leases
    const before = h.posted.length;
    expect(before).toBeGreaterThan(0);

    await h.restart();
    // Event Grid redelivers what it never saw acknowledged, and the burst goes on.
    await h.eventGrid(batch(12, 20, 'cloudevents'), { contentType: 'application/cloudevents-batch+json' });
    await h.eventGrid(batch(20, 30, 'eventgridschema'));
    h.clock.advance(31_000);
    await h.drain();

    const expected = ids.map((id) => `aml:runstatuschanged:${id}`).sort();
    expect(h.delivered('slack:C0ALERTS')).toEqual(expected);
    expect(h.delivered('teams:19:ops')).toEqual(expected);
    expect(h.chat.posts).toHaveLength(h.posted.length);
    expect(h.chat.posts.length).toBeLessThan(12); // digests, not 60 cards
  });
});

describe('Event Grid intake: configuration and failures', () => {
  it('refuses everything when no key is configured', async () => {
    const handler = createEventGridHandler({ key: undefined, router: h.current.notifications.router, settings: h.settings, log: h.log });
    const server = http.createServer((req, res) => void handler(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const res = await fetch(`http://127.0.0.1:${port}/api/events/eventgrid?code=`, { method: 'POST', body: JSON.stringify([prodFailure('k1')]) });
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    expect(res.status).toBe(401);
    expect(h.rows()).toEqual({ effects: 0, seen: 0 });
  });

  it('answers 503 when the delivery cannot be recorded, so Event Grid delivers it again', async () => {
    const broken = h.current;
    await broken.store.close();
    const res = await h.eventGrid([prodFailure('s1')]);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    await broken.stop();
    await h.start();
    expect(await (await h.eventGrid([prodFailure('s1')])).json()).toMatchObject({ accepted: 1 });
    await h.drain();
    expect(h.delivered('slack:C0ALERTS')).toEqual(['aml:runstatuschanged:s1']);
  });
});
