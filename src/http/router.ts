import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../core/ports';

export interface RequestContext {
  correlationId: string;
  /** Child logger carrying the correlation id, method and path. */
  log: Logger;
}

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, ctx: RequestContext) => void | Promise<void>;

/** Where the adapters mount their endpoints (DESIGN §2). */
export const ROUTES = {
  teamsMessages: '/api/messages',
  slackEvents: '/slack/events',
  eventGrid: '/api/events/eventgrid',
  azureDevOps: '/api/events/azure-devops',
  /** Where Entra sends the browser back after a `link` sign-in (DESIGN 9.6). */
  authCallback: '/auth/callback',
  health: '/healthz',
  metrics: '/metrics',
} as const;

export type RouteMatch =
  | { kind: 'found'; path: string; handler: RouteHandler }
  | { kind: 'wrong_method'; path: string; allowed: string[] }
  | { kind: 'not_found' };

/** Exact path + method routing: the bot has a handful of fixed endpoints and no path parameters. */
export class Router {
  private readonly routes = new Map<string, Map<string, RouteHandler>>();

  add(method: string, path: string, handler: RouteHandler): void {
    if (!path.startsWith('/')) throw new Error(`Route path must start with "/": ${path}`);
    const m = method.toUpperCase();
    const byMethod = this.routes.get(path) ?? new Map<string, RouteHandler>();
    if (byMethod.has(m)) throw new Error(`Route ${m} ${path} is already registered.`);
    byMethod.set(m, handler);
    this.routes.set(path, byMethod);
  }

  match(method: string, path: string): RouteMatch {
    const byMethod = this.routes.get(path);
    if (!byMethod) return { kind: 'not_found' };
    const handler = byMethod.get(method.toUpperCase());
    if (handler) return { kind: 'found', path, handler };
    return { kind: 'wrong_method', path, allowed: [...byMethod.keys()].sort() };
  }
}
