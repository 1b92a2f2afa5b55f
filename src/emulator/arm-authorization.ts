/**
 * ARM role assignments (`Microsoft.Authorization`, api-version 2022-04-01) at subscription,
 * resource-group and workspace scope, and the built-in role definitions looked up by name. A
 * principal must exist in the Graph emulation (else `PrincipalNotFound`, as for a service principal
 * that has not replicated); the same assignment under another name is `RoleAssignmentExists`.
 */
import { armError } from './arm-common';
import type { EmulatorContext } from './context';
import { entraState, type RoleAssignmentRec } from './entra-state';
import { requireArmToken } from './identity';
import type { Ctx, Handler, Router } from './router';
import { isRecord, queryParam, sendJson } from './router';

const AUTH = 'providers/Microsoft.Authorization';
const BUILT_IN_ROLES: Record<string, string> = {
  'b24988ac-6180-42a0-ab88-20f7382dd24c': 'Contributor',
  'acdd72a7-3385-48ef-bd42-f606fba81ae7': 'Reader',
  '8e3af657-a8ff-443c-a75c-2fe8c4bcb635': 'Owner',
  'f6c7c914-8db3-469d-8ca1-694a8f32e121': 'AzureML Data Scientist',
  '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9': 'User Access Administrator',
};
const SCOPES = [
  '/subscriptions/:sub',
  '/subscriptions/:sub/resourceGroups/:rg',
  '/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.MachineLearningServices/workspaces/:ws',
];

/** The scope as ARM writes it back, from the request path (casing kept). */
function scopeOf(ctx: Ctx): string {
  return ctx.path.split(`/${AUTH}/`)[0] ?? '';
}

function authRoute(emu: EmulatorContext, handler: Handler): Handler {
  return async (ctx) => {
    if (!requireArmToken(ctx, emu)) return;
    if (!queryParam(ctx.query, 'api-version')) return armError(ctx, 400, 'MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.');
    if ((ctx.params['sub'] ?? '').toLowerCase() !== emu.state.subscriptionId.toLowerCase()) {
      return armError(ctx, 404, 'SubscriptionNotFound', `The subscription '${ctx.params['sub']}' could not be found.`);
    }
    const rg = ctx.params['rg'];
    if (rg !== undefined && !Object.values(emu.state.workspaces).some((w) => w.resourceGroup.toLowerCase() === rg.toLowerCase())) {
      return armError(ctx, 404, 'ResourceGroupNotFound', `Resource group '${rg}' could not be found.`);
    }
    await handler(ctx);
  };
}

function view(r: RoleAssignmentRec): Record<string, unknown> {
  return {
    id: r.id, name: r.name, type: 'Microsoft.Authorization/roleAssignments',
    properties: {
      roleDefinitionId: r.roleDefinitionId, principalId: r.principalId, principalType: r.principalType, scope: r.scope,
      description: r.description, condition: null, conditionVersion: null, createdOn: r.createdOn, updatedOn: r.createdOn,
    },
  };
}

const roleGuid = (id: string): string => id.split('/').pop()?.toLowerCase() ?? '';

function putAssignment(emu: EmulatorContext, ctx: Ctx): void {
  const props = isRecord(ctx.body) && isRecord(ctx.body['properties']) ? ctx.body['properties'] : {};
  const roleDefinitionId = String(props['roleDefinitionId'] ?? '');
  const principalId = String(props['principalId'] ?? '');
  if (!BUILT_IN_ROLES[roleGuid(roleDefinitionId)]) return armError(ctx, 400, 'RoleDefinitionDoesNotExist', `The specified role definition with ID '${roleGuid(roleDefinitionId)}' does not exist.`);
  const state = entraState(emu);
  if (!state.servicePrincipals.some((s) => s.id === principalId)) {
    return armError(ctx, 400, 'PrincipalNotFound', `Principal ${principalId.replace(/-/g, '')} does not exist in the directory ${emu.state.tenantId}.`);
  }
  const scope = scopeOf(ctx);
  const name = ctx.params['name'] ?? '';
  const same = (r: RoleAssignmentRec) => r.scope.toLowerCase() === scope.toLowerCase() && r.principalId === principalId && roleGuid(r.roleDefinitionId) === roleGuid(roleDefinitionId);
  const byName = state.roleAssignments.find((r) => r.name.toLowerCase() === name.toLowerCase() && r.scope.toLowerCase() === scope.toLowerCase());
  if (byName) {
    if (same(byName)) return sendJson(ctx.res, 201, view(byName));
    return armError(ctx, 409, 'RoleAssignmentUpdateNotPermitted', 'Tenant ID, application ID, principal ID, and scope are not allowed to be updated.');
  }
  if (state.roleAssignments.some(same)) return armError(ctx, 409, 'RoleAssignmentExists', 'The role assignment already exists.');
  const rec: RoleAssignmentRec = {
    id: `${scope}/${AUTH}/roleAssignments/${name}`, name, scope, roleDefinitionId, principalId,
    principalType: String(props['principalType'] ?? 'ServicePrincipal'),
    description: typeof props['description'] === 'string' ? props['description'] : null, createdOn: emu.clock.now().toISOString(),
  };
  state.roleAssignments.push(rec);
  emu.persist();
  sendJson(ctx.res, 201, view(rec));
}

function roleDefinitionView(emu: EmulatorContext, guid: string, roleName: string): Record<string, unknown> {
  return {
    id: `/subscriptions/${emu.state.subscriptionId}/${AUTH}/roleDefinitions/${guid}`, name: guid, type: 'Microsoft.Authorization/roleDefinitions',
    properties: { roleName, type: 'BuiltInRole', description: roleName, assignableScopes: ['/'], permissions: [] },
  };
}

function getRoleDefinition(emu: EmulatorContext, ctx: Ctx): void {
  const guid = (ctx.params['id'] ?? '').toLowerCase();
  const roleName = BUILT_IN_ROLES[guid];
  if (!roleName) return armError(ctx, 404, 'RoleDefinitionDoesNotExist', `The specified role definition with ID '${guid}' does not exist.`);
  sendJson(ctx.res, 200, roleDefinitionView(emu, guid, roleName));
}

function listRoleDefinitions(emu: EmulatorContext, ctx: Ctx): void {
  const filter = queryParam(ctx.query, '$filter');
  const wanted = filter ? /^roleName eq '((?:[^']|'')*)'$/.exec(filter.trim())?.[1]?.replace(/''/g, "'") : undefined;
  const value = Object.entries(BUILT_IN_ROLES)
    .filter(([, roleName]) => wanted === undefined || roleName.toLowerCase() === wanted.toLowerCase())
    .map(([guid, roleName]) => roleDefinitionView(emu, guid, roleName));
  sendJson(ctx.res, 200, { value });
}

export function registerRoleAssignmentRoutes(router: Router, emu: EmulatorContext): void {
  for (const scope of SCOPES) {
    router.add('GET', `${scope}/${AUTH}/roleAssignments/:name`, authRoute(emu, (ctx) => {
      const rec = entraState(emu).roleAssignments.find((r) => r.name.toLowerCase() === (ctx.params['name'] ?? '').toLowerCase() && r.scope.toLowerCase() === scopeOf(ctx).toLowerCase());
      if (!rec) return armError(ctx, 404, 'RoleAssignmentNotFound', `The role assignment '${ctx.params['name']}' is not found.`);
      sendJson(ctx.res, 200, view(rec));
    }));
    router.add('PUT', `${scope}/${AUTH}/roleAssignments/:name`, authRoute(emu, (ctx) => putAssignment(emu, ctx)));
    router.add('GET', `${scope}/${AUTH}/roleDefinitions`, authRoute(emu, (ctx) => listRoleDefinitions(emu, ctx)));
    router.add('GET', `${scope}/${AUTH}/roleDefinitions/:id`, authRoute(emu, (ctx) => getRoleDefinition(emu, ctx)));
  }
}
