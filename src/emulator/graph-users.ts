/**
 * Microsoft Graph users and group membership, the part the bot uses to match approvers named by
 * email or by group: GET /users/{id | userPrincipalName} (with $select), GET /users?$filter=mail eq
 * '…' (or userPrincipalName), and POST /users/{id}/checkMemberGroups, which is transitive.
 */
import type { EmulatorContext } from './context';
import type { GraphGroupRec, GraphUserRec } from './entra-state';
import type { Ctx, Handler, Router } from './router';
import { isRecord, queryParam, sendJson } from './router';
import { graphDirectoryState } from './seed-graph';

const METADATA = 'https://graph.microsoft.com/v1.0/$metadata';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FIELDS: (keyof GraphUserRec)[] = ['id', 'displayName', 'mail', 'userPrincipalName'];

type GraphErrorFn = (ctx: Ctx, status: number, code: string, message: string) => void;

function findUser(emu: EmulatorContext, key: string): GraphUserRec | undefined {
  const k = key.toLowerCase();
  return graphDirectoryState(emu).users.find((u) => u.id.toLowerCase() === k || u.userPrincipalName.toLowerCase() === k);
}

function selected(ctx: Ctx, fail: GraphErrorFn): (keyof GraphUserRec)[] | null {
  const select = queryParam(ctx.query, '$select');
  if (select === undefined) return FIELDS;
  const wanted = select.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = wanted.find((w) => !FIELDS.includes(w as keyof GraphUserRec));
  if (unknown) {
    fail(ctx, 400, 'Request_BadRequest', `Could not find a property named '${unknown}' on type 'microsoft.graph.user'.`);
    return null;
  }
  return wanted as (keyof GraphUserRec)[];
}

function view(u: GraphUserRec, fields: (keyof GraphUserRec)[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((f) => [f, u[f]]));
}

function getUser(emu: EmulatorContext, ctx: Ctx, fail: GraphErrorFn): void {
  const key = ctx.params['id'] ?? '';
  const user = findUser(emu, key);
  if (!user) return fail(ctx, 404, 'Request_ResourceNotFound', `Resource '${key}' does not exist or one of its queried reference-property objects are not present.`);
  const fields = selected(ctx, fail);
  if (!fields) return;
  const context = fields === FIELDS ? `${METADATA}#users/$entity` : `${METADATA}#users(${fields.join(',')})/$entity`;
  sendJson(ctx.res, 200, { '@odata.context': context, ...view(user, fields) });
}

function listUsers(emu: EmulatorContext, ctx: Ctx, fail: GraphErrorFn): void {
  let users = graphDirectoryState(emu).users;
  const filter = queryParam(ctx.query, '$filter');
  if (filter !== undefined) {
    const m = /^(mail|userPrincipalName) eq '((?:[^']|'')*)'$/i.exec(filter.trim());
    if (!m) return fail(ctx, 400, 'Request_UnsupportedQuery', `Unsupported query: ${filter}`);
    const wanted = m[2].replace(/''/g, "'").toLowerCase();
    const prop = m[1].toLowerCase() === 'mail' ? 'mail' : 'userPrincipalName';
    users = users.filter((u) => (u[prop] ?? '').toLowerCase() === wanted);
  }
  const fields = selected(ctx, fail);
  if (!fields) return;
  sendJson(ctx.res, 200, { '@odata.context': `${METADATA}#users`, value: users.map((u) => view(u, fields)) });
}

/** Every group that holds `memberId` directly or through nested groups. */
export function groupsOf(groups: GraphGroupRec[], memberId: string): Set<string> {
  const found = new Set<string>();
  let frontier = [memberId.toLowerCase()];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const g of groups) {
      const id = g.id.toLowerCase();
      if (!found.has(id) && g.members.some((m) => frontier.includes(m.toLowerCase()))) {
        found.add(id);
        next.push(id);
      }
    }
    frontier = next;
  }
  return found;
}

function checkMemberGroups(emu: EmulatorContext, ctx: Ctx, fail: GraphErrorFn): void {
  const key = ctx.params['id'] ?? '';
  const user = findUser(emu, key);
  if (!user) return fail(ctx, 404, 'Request_ResourceNotFound', `Resource '${key}' does not exist or one of its queried reference-property objects are not present.`);
  const ids = isRecord(ctx.body) ? ctx.body['groupIds'] : undefined;
  if (!Array.isArray(ids) || ids.length === 0 || ids.length > 20) {
    return fail(ctx, 400, 'Request_BadRequest', 'groupIds must list between 1 and 20 group ids.');
  }
  const bad = ids.find((g) => typeof g !== 'string' || !GUID.test(g));
  if (bad !== undefined) return fail(ctx, 400, 'Request_BadRequest', `Invalid GUID:${String(bad)}`);
  const mine = groupsOf(graphDirectoryState(emu).groups, user.id);
  const value = (ids as string[]).filter((g) => mine.has(g.toLowerCase()));
  sendJson(ctx.res, 200, { '@odata.context': `${METADATA}#Collection(Edm.String)`, value });
}

/** Registered before Graph's catch-all `/v1.0/:key` route. */
export function registerGraphUserRoutes(router: Router, emu: EmulatorContext, guard: (h: Handler) => Handler, fail: GraphErrorFn): void {
  router.add('GET', '/v1.0/users', guard((ctx) => listUsers(emu, ctx, fail)));
  router.add('GET', '/v1.0/users/:id', guard((ctx) => getUser(emu, ctx, fail)));
  router.add('POST', '/v1.0/users/:id/checkMemberGroups', guard((ctx) => checkMemberGroups(emu, ctx, fail)));
}
