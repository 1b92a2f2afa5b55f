/**
 * Charts in the running server (DESIGN 9.7): signed links Teams loads a card's chart from, served
 * on `/charts` by any replica. The key is MLOPS_CHART_KEY, else derived from the Teams app
 * password (the same on every replica), else this process's own.
 */
import { hkdfSync, randomBytes } from 'node:crypto';
import { ChartLinks, mountChartLinks } from '../adapters/charts';
import type { RuntimeConfig } from '../config';
import type { ChartRenderer, Clock, Logger } from '../core/ports';
import type { HttpServer } from '../http';

export function chartLinkKey(runtime: Pick<RuntimeConfig, 'charts' | 'teams'>, log: Logger): Buffer {
  const given = runtime.charts.linkKey?.reveal() ?? runtime.teams.appPassword?.reveal();
  if (given) return Buffer.from(hkdfSync('sha256', given, 'mlops-bot', 'chart-links', 32));
  log.info({}, 'chart links are signed with a key of this process (no MLOPS_CHART_KEY, no Teams app password): they work on this replica until it restarts');
  return randomBytes(32);
}

/** Links are based at MLOPS_PUBLIC_URL (read with account linking), else the address the bot listens on. */
export function startChartLinks(http: HttpServer, renderer: ChartRenderer | undefined, runtime: Pick<RuntimeConfig, 'charts' | 'teams' | 'accountLinks'>, clock: Clock, log: Logger): ChartLinks | undefined {
  if (!renderer) return undefined;
  const links = new ChartLinks({ key: chartLinkKey(runtime, log), baseUrl: runtime.accountLinks.publicUrl ?? http.url, clock });
  mountChartLinks(http, links, renderer, log);
  return links;
}
