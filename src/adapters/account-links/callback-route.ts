/**
 * `GET /auth/callback`: where Entra sends the browser back after a `link` sign-in. Answers with a
 * small HTML page saying which chat account was linked to which Entra account, or why nothing was.
 * The URL carries the authorization code: the page sends no referrer, is not cached and cannot be
 * framed, and only the path is ever logged (src/http/server.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../core/ports';
import type { RouteHandler } from '../../http';
import type { LinkOutcome } from './sign-in';

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const PLATFORM: Record<string, string> = { slack: 'Slack', teams: 'Teams', cli: 'command line' };

function page(res: ServerResponse, status: number, title: string, body: string): void {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${esc(title)}</title>`
    + '<style>body{font-family:system-ui,sans-serif;max-width:40em;margin:3em auto;padding:0 1em;line-height:1.5}</style></head>'
    + `<body><h1>${esc(title)}</h1>${body}</body></html>`;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8', 'content-length': String(Buffer.byteLength(html)), 'cache-control': 'no-store',
    'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY', 'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  });
  res.end(html);
}

export function renderLinkOutcome(res: ServerResponse, outcome: LinkOutcome): void {
  if (outcome.ok) {
    const a = outcome.account;
    const platform = PLATFORM[a.chatUserId.split(':')[0]] ?? 'chat';
    const replaced = outcome.replaced ? `<p>It replaces the earlier link to ${esc(outcome.replaced.userPrincipalName)}.</p>` : '';
    return page(res, 200, 'Account linked',
      `<p>Your ${esc(platform)} account <strong>${esc(outcome.chatDisplayName || a.chatUserId)}</strong> (<code>${esc(a.chatUserId)}</code>) `
      + `is now linked to the Entra account <strong>${esc(a.displayName)}</strong> (<code>${esc(a.userPrincipalName)}</code>).</p>${replaced}`
      + '<p>Azure DevOps will record approvals you give in chat as you. You can close this window; the bot has told you in chat too. '
      + '<code>whoami</code> shows the link and <code>unlink</code> removes it.</p>');
  }
  const status = outcome.reason === 'unavailable' ? 502 : 400;
  page(res, status, 'Nothing was linked', `<p>${esc(outcome.message)}</p>`);
}

export function authCallbackHandler(links: { complete(query: URLSearchParams): Promise<LinkOutcome> }, log: Logger): RouteHandler {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const raw = req.url ?? '';
    const q = raw.indexOf('?');
    const outcome = await links.complete(new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)));
    if (!outcome.ok) log.info({ reason: outcome.reason, chatUserId: outcome.chatUserId }, 'account link refused');
    renderLinkOutcome(res, outcome);
  };
}
