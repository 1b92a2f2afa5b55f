/**
 * The role assignment through @azure/arm-authorization. Its name is a name-based UUID of (scope,
 * principal, role), so a retry PUTs the same assignment instead of a second one; a fresh service
 * principal may not be visible to ARM yet (PrincipalNotFound), which is retried.
 */
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import type { TokenCredential } from '@azure/identity';
import { createHash } from 'node:crypto';
import { withReplicationRetry } from './replication';

/** Built-in roles by name (ids are the same in every tenant). */
const BUILT_IN: Record<string, string> = {
  contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
  owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  'azureml data scientist': 'f6c7c914-8db3-469d-8ca1-694a8f32e121',
  'user access administrator': '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
};
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** RFC 4122 URL namespace. */
const NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

/** RFC 4122 version-5 (SHA-1, name-based) UUID. */
export function nameBasedUuid(name: string, namespace = NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const h = createHash('sha1').update(Buffer.concat([ns, Buffer.from(name, 'utf8')])).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

export function assignmentName(scope: string, principalId: string, roleDefinitionId: string): string {
  return nameBasedUuid([scope, principalId, roleDefinitionId].map((s) => s.toLowerCase().replace(/^\/+/, '')).join('|'));
}

export const subscriptionOf = (scope: string): string => /^\/?subscriptions\/([^/]+)/i.exec(scope)?.[1] ?? '';

interface ArmError { statusCode?: number; code?: string; message?: string }

export class RoleAssigner {
  private readonly clients = new Map<string, AuthorizationManagementClient>();

  constructor(private readonly opts: { credential: TokenCredential; endpoint: string; audience: string; ca?: string; timeoutMs: number; delays: number[] }) {}

  /** Full role definition id for a built-in name, a GUID, a full id, or any role name the scope knows. */
  async roleDefinitionId(scope: string, role: string): Promise<string> {
    const sub = subscriptionOf(scope);
    const prefix = `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/`;
    if (role.startsWith('/')) return role;
    if (GUID.test(role)) return `${prefix}${role}`;
    const builtIn = BUILT_IN[role.toLowerCase()];
    if (builtIn) return `${prefix}${builtIn}`;
    const filter = `roleName eq '${role.replace(/'/g, "''")}'`;
    for await (const def of this.client(sub).roleDefinitions.list(scope, { filter, requestOptions: { timeout: this.opts.timeoutMs } })) {
      if (def.id) return def.id;
    }
    throw Object.assign(new Error(`No role named '${role}' exists at this scope`), { code: 'RoleDefinitionNotFound' });
  }

  /** true when created, false when it already existed. */
  async ensure(scope: string, principalId: string, roleDefinitionId: string): Promise<boolean> {
    const client = this.client(subscriptionOf(scope));
    const name = assignmentName(scope, principalId, roleDefinitionId);
    const op = { requestOptions: { timeout: this.opts.timeoutMs } };
    try {
      await client.roleAssignments.get(scope, name, op);
      return false;
    } catch (e) {
      if ((e as ArmError).statusCode !== 404) throw e;
    }
    try {
      await withReplicationRetry(this.opts.delays, (e) => (e as ArmError).code === 'PrincipalNotFound', () =>
        client.roleAssignments.create(scope, name, { roleDefinitionId, principalId, principalType: 'ServicePrincipal', description: 'Assigned by MLOps Bot' }, op));
      return true;
    } catch (e) {
      // The same assignment under another name (made by hand, or by an older run) counts as done.
      if ((e as ArmError).statusCode === 409 && (e as ArmError).code === 'RoleAssignmentExists') return false;
      throw e;
    }
  }

  private client(subscriptionId: string): AuthorizationManagementClient {
    let c = this.clients.get(subscriptionId);
    if (!c) {
      c = new AuthorizationManagementClient(this.opts.credential, subscriptionId, {
        endpoint: this.opts.endpoint,
        credentialScopes: [`${this.opts.audience.replace(/\/+$/, '')}/.default`],
        ...(this.opts.ca ? { tlsOptions: { ca: this.opts.ca } } : {}),
        retryOptions: { maxRetries: 2, retryDelayInMs: 500, maxRetryDelayInMs: 4000 },
        userAgentOptions: { userAgentPrefix: 'mlops-bot' },
      });
      this.clients.set(subscriptionId, c);
    }
    return c;
  }
}
