/** Signed chart links: only a link the bot signed, before its expiry, with an intact payload, opens. */
import { deflateRawSync } from 'node:zlib';
import { ChartLinks } from '../../src/adapters/charts';
import { FakeClock } from '../fakes/clock';
import { trendSample } from '../support/chart-samples';

const key = Buffer.alloc(32, 7);
const clock = new FakeClock();
const links = new ChartLinks({ key, baseUrl: 'https://bot.contoso.com/', clock, ttlMs: 3_600_000 });
const query = (url: string): URLSearchParams => new URL(url).searchParams;

it('opens its own link with the chart it was made from', () => {
  const chart = trendSample(5);
  const url = links.url(chart);
  expect(url).toMatch(/^https:\/\/bot\.contoso\.com\/charts\?c=[\w-]+&e=\d+&s=[\w-]{43}$/);
  expect(url.length).toBeLessThan(3000);
  expect(links.check(query(url))).toEqual({ ok: true, chart });
});

it('refuses a changed payload, expiry or signature, and another key', () => {
  const url = links.url(trendSample(5));
  const q = query(url);
  const other = trendSample(6);
  const swapped = new URLSearchParams(q);
  swapped.set('c', query(links.url(other)).get('c')!);
  expect(links.check(swapped)).toEqual({ ok: false, reason: 'bad-signature' });
  const later = new URLSearchParams(q);
  later.set('e', String(Number(q.get('e')) + 3600));
  expect(links.check(later)).toEqual({ ok: false, reason: 'bad-signature' });
  const forged = new URLSearchParams(q);
  forged.set('s', 'A'.repeat(43));
  expect(links.check(forged)).toEqual({ ok: false, reason: 'bad-signature' });
  const stranger = new ChartLinks({ key: Buffer.alloc(32, 8), baseUrl: 'https://bot.contoso.com', clock });
  expect(stranger.check(q)).toEqual({ ok: false, reason: 'bad-signature' });
});

it('refuses an expired link', () => {
  const url = links.url(trendSample(5));
  clock.advance(3_600_000);
  expect(links.check(query(url))).toEqual({ ok: false, reason: 'expired' });
});

it('refuses malformed links without reading them, and a signed payload that is not a chart', () => {
  expect(links.check(new URLSearchParams(''))).toEqual({ ok: false, reason: 'malformed' });
  expect(links.check(new URLSearchParams({ c: 'abc', e: 'soon', s: 'x'.repeat(43) }))).toEqual({ ok: false, reason: 'malformed' });
  expect(links.check(new URLSearchParams({ c: 'a'.repeat(20_000), e: '1', s: 'x'.repeat(43) }))).toEqual({ ok: false, reason: 'malformed' });
  // Signed by us but not a chart (a link built by hand with the key): still refused.
  const sign = (links as unknown as { sign(e: number, p: string): string }).sign.bind(links);
  const e = Math.floor(clock.now().getTime() / 1000) + 60;
  const notChart = deflateRawSync(JSON.stringify({ kind: 'other', name: 'x', alt: '', vegaLite: {} })).toString('base64url');
  expect(links.check(new URLSearchParams({ c: notChart, e: String(e), s: sign(e, notChart) }))).toEqual({ ok: false, reason: 'malformed' });
  // A payload that inflates beyond the limit is cut off, not inflated.
  const bomb = deflateRawSync(Buffer.alloc(1_000_000, 32), { level: 9 }).toString('base64url');
  expect(links.check(new URLSearchParams({ c: bomb, e: String(e), s: sign(e, bomb) }))).toEqual({ ok: false, reason: 'malformed' });
});

it('needs a key of at least 32 bytes', () => {
  expect(() => new ChartLinks({ key: Buffer.alloc(16), baseUrl: 'https://x', clock })).toThrow(/32 bytes/);
});
