/**
 * Signed, expiring links to charts, for clients that load a card's picture from a URL (Teams): the
 * chart's spec travels compressed in the link itself, so any replica can draw it and nothing is
 * kept. HMAC-SHA256 over the expiry and the payload; a link whose signature or expiry does not
 * hold is refused before anything is decompressed or drawn.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { ChartKind, ChartSpec } from '../../core/charts/types';
import type { Clock } from '../../core/ports';

export const CHART_LINK_PATH = '/charts';
export const DEFAULT_CHART_LINK_TTL_MS = 7 * 24 * 3_600_000;
/** The largest spec a link may carry once decompressed (a thirty-version chart is about 5 KB). */
const MAX_SPEC_BYTES = 64 * 1024;
const MAX_PAYLOAD_CHARS = 16 * 1024;
const KINDS: readonly ChartKind[] = ['metric-trend', 'rollout'];

export type LinkCheck = { ok: true; chart: ChartSpec } | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' };

export interface ChartLinkOptions {
  /** The secret the links are signed with (at least 32 bytes). */
  key: Buffer;
  /** Where clients reach the bot: `https://bot.contoso.com` (no trailing slash needed). */
  baseUrl: string;
  clock: Clock;
  ttlMs?: number;
}

export class ChartLinks {
  private readonly base: string;
  private readonly ttlMs: number;

  constructor(private readonly opts: ChartLinkOptions) {
    if (opts.key.length < 32) throw new Error('the chart link key must be at least 32 bytes');
    this.base = opts.baseUrl.replace(/\/+$/, '');
    this.ttlMs = opts.ttlMs ?? DEFAULT_CHART_LINK_TTL_MS;
  }

  url(chart: ChartSpec): string {
    const payload = deflateRawSync(JSON.stringify({ kind: chart.kind, name: chart.name, alt: chart.alt, vegaLite: chart.vegaLite }), { level: 9 }).toString('base64url');
    const expires = Math.floor((this.opts.clock.now().getTime() + this.ttlMs) / 1000);
    return `${this.base}${CHART_LINK_PATH}?c=${payload}&e=${expires}&s=${this.sign(expires, payload)}`;
  }

  /** Checks a link's query: signature first, then expiry, then the payload. */
  check(query: URLSearchParams): LinkCheck {
    const payload = query.get('c') ?? '';
    const expiresText = query.get('e') ?? '';
    const signature = query.get('s') ?? '';
    if (!/^[A-Za-z0-9_-]{1,16384}$/.test(payload) || payload.length > MAX_PAYLOAD_CHARS || !/^\d{1,12}$/.test(expiresText) || !/^[A-Za-z0-9_-]{43}$/.test(signature)) {
      return { ok: false, reason: 'malformed' };
    }
    const expires = Number(expiresText);
    const expected = Buffer.from(this.sign(expires, payload));
    if (!timingSafeEqual(expected, Buffer.from(signature))) return { ok: false, reason: 'bad-signature' };
    if (expires * 1000 <= this.opts.clock.now().getTime()) return { ok: false, reason: 'expired' };
    const chart = parseChart(payload);
    return chart ? { ok: true, chart } : { ok: false, reason: 'malformed' };
  }

  private sign(expires: number, payload: string): string {
    return createHmac('sha256', this.opts.key).update(`chart-link.v1.${expires}.${payload}`).digest('base64url');
  }
}

function parseChart(payload: string): ChartSpec | undefined {
  try {
    const raw = JSON.parse(inflateRawSync(Buffer.from(payload, 'base64url'), { maxOutputLength: MAX_SPEC_BYTES }).toString('utf8')) as Record<string, unknown>;
    const { kind, name, alt, vegaLite } = raw;
    if (!KINDS.includes(kind as ChartKind) || typeof name !== 'string' || typeof alt !== 'string' || !vegaLite || typeof vegaLite !== 'object' || Array.isArray(vegaLite)) return undefined;
    return { kind: kind as ChartKind, name, alt, vegaLite: vegaLite as Record<string, unknown> };
  } catch {
    return undefined;
  }
}
