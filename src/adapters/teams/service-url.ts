/**
 * Which Bot Connector URLs the bot may talk to. The SDK builds its connector client from the
 * activity's `serviceUrl` with no allow-list, so an unchecked URL would make the bot post replies,
 * and the data in them, wherever a caller pointed it (SSRF). References are checked when stored and
 * again before use.
 */

/** `authenticated`: Bot Framework JWTs are checked (an app id is set). `anonymous`: a local client. */
export type TeamsAccessMode = 'authenticated' | 'anonymous';

/**
 * Teams connector hosts as documented for proactive messaging (TeamsServiceEndpoints):
 * public `smba.trafficmanager.net`, GCC `smba.infra.gcc.teams.microsoft.com`, GCC High
 * `smba.infra.gov.teams.microsoft.us`, DoD `smba.infra.dod.teams.microsoft.us`; plus the Bot
 * Framework service itself (`*.botframework.com`).
 */
const SERVICE_HOSTS = ['smba.trafficmanager.net'];
const SERVICE_DOMAINS = ['.botframework.com', '.teams.microsoft.com', '.teams.microsoft.us'];
/** Local clients (Agents Playground, tests): only this machine, never a LAN or metadata address. */
const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

export function serviceUrlAllowed(url: unknown, mode: TeamsAccessMode): boolean {
  const parsed = parse(url);
  if (!parsed || parsed.username || parsed.password) return false;
  const host = parsed.hostname.toLowerCase();
  if (mode === 'anonymous') return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && LOOPBACK_HOSTS.includes(host);
  // The bot's bearer token travels with every call: https only, on the standard port.
  if (parsed.protocol !== 'https:' || parsed.port !== '') return false;
  return SERVICE_HOSTS.includes(host) || SERVICE_DOMAINS.some((d) => host.endsWith(d) && host.length > d.length);
}

/** The host alone, for log lines (the URL itself comes from the caller). */
export function serviceHost(url: unknown): string {
  return parse(url)?.host.slice(0, 100) ?? '(not a URL)';
}

export function allowedHostsText(mode: TeamsAccessMode): string {
  return mode === 'anonymous'
    ? LOOPBACK_HOSTS.join(', ')
    : [...SERVICE_HOSTS, ...SERVICE_DOMAINS.map((d) => `*${d}`)].join(', ');
}

function parse(url: unknown): URL | null {
  if (typeof url !== 'string' || url.length > 2048) return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}
