/**
 * `GET /charts?c=…&e=…&s=…`: the PNG of a signed chart link (ChartLinks). A link that is malformed,
 * wrongly signed or expired gets 403 and nothing is drawn; a chart that cannot be drawn in time, 503.
 */
import type { ChartRenderer, Logger } from '../../core/ports';
import { sendText, type HttpServer } from '../../http';
import { CHART_LINK_PATH, type ChartLinks } from './chart-links';

export function mountChartLinks(server: Pick<HttpServer, 'route'>, links: ChartLinks, renderer: ChartRenderer, log: Logger): void {
  server.route('GET', CHART_LINK_PATH, async (req, res, ctx) => {
    const checked = links.check(new URL(req.url ?? '/', 'http://localhost').searchParams);
    if (!checked.ok) {
      ctx.log.info({ reason: checked.reason }, 'chart link refused');
      sendText(res, 403, 'This chart link is not valid or has expired.');
      return;
    }
    try {
      const png = await renderer.render(checked.chart);
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(png.byteLength), 'cache-control': 'private, max-age=86400', 'x-content-type-options': 'nosniff' });
      res.end(Buffer.from(png.buffer, png.byteOffset, png.byteLength));
    } catch (e) {
      log.warn({ chart: checked.chart.kind, err: e instanceof Error ? e.message : String(e) }, 'chart link not drawn');
      sendText(res, 503, 'The chart could not be drawn just now; try again shortly.');
    }
  });
}
