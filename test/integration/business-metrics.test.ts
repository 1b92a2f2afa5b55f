/** `/metrics` business figures and `/healthz` leadership, read through the real HTTP server. */
import { openStore } from '../../src/adapters/store';
import { registerBusinessMetrics } from '../../src/app/business-metrics';
import { ChatRouter } from '../../src/app/chat-router';
import { createReplicas, POLLER_RUNS_NS } from '../../src/app/replicas';
import { BotError } from '../../src/core/errors';
import type { Store } from '../../src/core/ports';
import { startHttpServer, type HttpServer } from '../../src/http';
import { makeRequest } from '../contract/store-fixtures';
import { FakeChat } from '../fakes/chat';
import { FakeClock } from '../fakes/clock';
import { CapturingLogger } from '../fakes/logger';

class ThrottlingChat extends FakeChat {
  throttle = 0;
  override async post(channel: string, message: Parameters<FakeChat['post']>[1]) {
    if (this.throttle > 0) { this.throttle--; throw new BotError('upstream_throttled', 'Slack rate-limited chat.postMessage.', { details: { retryAfterMs: 1000 } }); }
    return super.post(channel, message);
  }
}

describe('business metrics', () => {
  let store: Store;
  let http: HttpServer;
  const clock = new FakeClock();
  const log = new CapturingLogger();
  const chat = new ChatRouter();
  const slack = new ThrottlingChat();

  beforeAll(async () => {
    store = await openStore('sqlite::memory:', { clock });
    const replicas = createReplicas({ store, clock, log, shared: false, runtime: { id: 'bot-1', leaseTtlMs: 15_000, effectLeaseMs: 60_000 } });
    chat.register('slack', slack);
    http = await startHttpServer({ port: 0, host: '127.0.0.1', log });
    http.addHealthInfo('leader', () => replicas.leadership.isLeader());
    registerBusinessMetrics(http.metrics, { store, clock, chat, replicas });
  });
  afterAll(async () => { await http.close(); await store.close(); });

  it('counts promotions, the outbox, deliveries and 429s, poller lag and leadership', async () => {
    await store.createRequest(makeRequest(), [], [{ key: 'e1', kind: 'k', payload: {} }]);
    await store.createRequest(makeRequest({ id: 'PR-BBBBB', version: '9', state: 'succeeded' }), [], []);
    await store.putDoc(POLLER_RUNS_NS, 'releases', { at: clock.now().toISOString(), replica: 'bot-1' });
    clock.advance(42_000);
    await chat.post('slack:C1', { template: 'notice', data: { title: 't', text: 'x', tone: 'info' } });
    slack.throttle = 1;
    await expect(chat.post('slack:C1', { template: 'notice', data: { title: 't', text: 'x', tone: 'info' } })).rejects.toThrow('rate-limited');

    const text = await (await fetch(`${http.url}/metrics`)).text();
    const lines = text.split('\n');
    expect(lines).toEqual(expect.arrayContaining([
      'mlops_promotions{state="awaiting_approval"} 1',
      'mlops_promotions{state="succeeded"} 1',
      'mlops_outbox_effects{status="pending"} 1',
      'mlops_outbox_effects{status="dead"} 0',
      'mlops_outbox_oldest_waiting_seconds 42',
      'mlops_chat_deliveries_total{platform="slack",op="post",outcome="ok"} 1',
      'mlops_chat_deliveries_total{platform="slack",op="post",outcome="throttled"} 1',
      'mlops_chat_throttled_total{platform="slack"} 1',
      'mlops_poller_lag_seconds{poller="releases"} 42',
      'mlops_leader{replica="bot-1"} 1',
    ]));

    const health = await (await fetch(`${http.url}/healthz`)).json();
    expect(health).toMatchObject({ status: 'ok', leader: true });
  });
});
