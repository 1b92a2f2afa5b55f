/** Shared pieces of the Azure DevOps routes: errors, api-version, project lookup, enums, identities. */
import type { AdoIdentity } from './ado-types';
import type { EmulatorContext } from './context';
import { requireDevopsAuth } from './identity';
import type { Ctx, Handler } from './router';
import { queryParam, sendJson } from './router';

export function adoError(ctx: Ctx, status: number, typeKey: string, message: string): void {
  sendJson(ctx.res, status, {
    $id: '1', innerException: null, message,
    typeName: `Microsoft.VisualStudio.Services.WebApi.${typeKey}, Microsoft.VisualStudio.Services.WebApi`,
    typeKey, errorCode: 0, eventId: 3000,
  });
}

/** The api-version of a request: the `Accept` header (how the SDK sends it) or the query string. */
export function adoApiVersion(ctx: Ctx): string | undefined {
  const accept = ctx.req.headers.accept ?? '';
  const m = /api-version=([0-9][^;,\s]*)/i.exec(accept);
  return m?.[1] ?? queryParam(ctx.query, 'api-version');
}

/** Wraps an Azure DevOps handler: authentication and the `{project}` route value (name or id). */
export function adoRoute(emu: EmulatorContext, handler: Handler, opts: { requireVersion?: boolean } = {}): Handler {
  return async (ctx) => {
    if (!requireDevopsAuth(ctx, emu)) return;
    const org = ctx.params['org'] ?? '';
    if (org.toLowerCase() !== emu.state.ado.organization.toLowerCase()) {
      adoError(ctx, 404, 'OrganizationNotFoundException', `Organization '${org}' does not exist.`);
      return;
    }
    const project = ctx.params['project'];
    const { id, name } = emu.state.ado.project;
    if (project !== undefined && project.toLowerCase() !== name.toLowerCase() && project.toLowerCase() !== id) {
      adoError(ctx, 404, 'ProjectDoesNotExistWithNameException', `The following project does not exist: ${project}. Verify that the name of the project is correct and that the project exists on the specified Azure DevOps Server.`);
      return;
    }
    if (opts.requireVersion && !adoApiVersion(ctx)) {
      adoError(ctx, 400, 'VssVersionNotSpecifiedException', 'No api-version was supplied for the request. Use a version such as 7.1-preview.1.');
      return;
    }
    await handler(ctx);
  };
}

export function orgUrl(emu: EmulatorContext): string {
  return emu.devopsOrgUrl();
}

export function identityRef(emu: EmulatorContext, who: AdoIdentity): Record<string, unknown> {
  const org = orgUrl(emu);
  return {
    id: who.id, displayName: who.displayName, uniqueName: who.uniqueName, ...(who.isContainer ? { isContainer: true } : {}),
    url: `${org}/_apis/Identities/${who.id}`,
    imageUrl: `${org}/_api/_common/identityImage?id=${who.id}`,
  };
}

/** Maps a string or numeric enum value (the SDK sends numbers) to its camelCase name. */
export function enumName(value: unknown, names: Record<number, string>): string | undefined {
  if (typeof value === 'number') return names[value];
  if (typeof value !== 'string' || value === '') return undefined;
  if (/^\d+$/.test(value)) return names[Number(value)];
  const wanted = value.toLowerCase();
  return Object.values(names).find((n) => n.toLowerCase() === wanted);
}

/** Flag enums such as `$expand=environments,variables` or `$expand=34`. */
export function flagNames(value: string | undefined, names: Record<number, string>): Set<string> {
  const out = new Set<string>();
  if (!value) return out;
  if (/^\d+$/.test(value)) {
    const bits = Number(value);
    for (const [bit, name] of Object.entries(names)) if (bits & Number(bit)) out.add(name.toLowerCase());
    return out;
  }
  for (const part of value.split(',')) out.add(part.trim().toLowerCase());
  return out;
}

export const ENV_STATUS: Record<number, string> = {
  0: 'undefined', 1: 'notStarted', 2: 'inProgress', 4: 'succeeded', 8: 'canceled', 16: 'rejected', 32: 'queued', 64: 'scheduled', 128: 'partiallySucceeded',
};
export const APPROVAL_STATUS: Record<number, string> = {
  0: 'undefined', 1: 'pending', 2: 'approved', 4: 'rejected', 6: 'reassigned', 7: 'canceled', 8: 'skipped',
};
export const APPROVAL_TYPE: Record<number, string> = { 0: 'undefined', 1: 'preDeploy', 2: 'postDeploy', 3: 'all' };
export const RELEASE_EXPANDS: Record<number, string> = {
  2: 'environments', 4: 'artifacts', 8: 'approvals', 16: 'manualInterventions', 32: 'variables', 64: 'tags',
};
export const DEFINITION_EXPANDS: Record<number, string> = {
  2: 'environments', 4: 'artifacts', 8: 'triggers', 16: 'variables', 32: 'tags', 64: 'lastRelease',
};
export const CHECK_APPROVAL_STATUS: Record<number, string> = {
  1: 'uninitiated', 2: 'waiting', 4: 'pending', 8: 'approved', 16: 'rejected', 32: 'skipped', 64: 'canceled', 128: 'timedOut', 256: 'failed',
};

export function collection(items: unknown[]): { count: number; value: unknown[] } {
  return { count: items.length, value: items };
}
