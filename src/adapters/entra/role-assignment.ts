/**
 * The role assignment through @azure/arm-authorization. Its name is a name-based UUID of (scope,
 * principal, role), so a retry PUTs the same assignment instead of a second one; a fresh service
 * principal may not be visible to ARM yet (PrincipalNotFound), which is retried.
 */
import type { AuthorizationManagementClient } from '@azure/arm-authorization';
import type { TokenCredential } from '@azure/identity';
import { createHash } from 'node:crypto';
import { BotError } from '../../core/errors';
import { withReplicationRetry } from './replication';
import { describeFailure } from './step-errors';

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

const SCOPE_MISSING = new Set(['ResourceGroupNotFound', 'SubscriptionNotFound', 'ResourceNotFound', 'InvalidScope', 'ParentResourceNotFound']);

function unknownRole(scope: string, role: string): BotError {
  return new BotError('usage', `No role '${role.slice(0, 80)}' exists at /${scope}.`, {
    remedy: 'Name a role that exists there, e.g. --role Contributor or --role Reader, or give a role definition id.',
    details: { role: role.slice(0, 80), scope },
  });
}

function resolutionError(e: unknown, scope: string, role: string): BotError {
  const err = e as ArmError;
  if (err.statusCode === 404 && err.code !== undefined && SCOPE_MISSING.has(err.code)) {
    return new BotError('usage', `The scope /${scope} does not exist (${err.code}).`, {
      remedy: 'Give an existing resource group or resource with --scope, or leave --scope out for the environment\'s resource group.',
      details: { scope, code: err.code },
    });
  }
  if (err.statusCode === 404 || err.code === 'RoleDefinitionDoesNotExist') return unknownRole(scope, role);
  const code = err.statusCode === 401 || err.statusCode === 403 ? 'upstream_auth' : 'upstream_unavailable';
  return new BotError(code, `The role could not be looked up: ${describeFailure('arm', e)}`, { details: { scope, role: role.slice(0, 80) }, cause: e });
}

export class RoleAssigner {
  private readonly clients = new Map<string, AuthorizationManagementClient>();

  constructor(private readonly opts: { credential: TokenCredential; endpoint: string; audience: string; ca?: string; timeoutMs: number; delays: number[] }) {}

  /**
   * The full role definition id of a role name (built-in or custom), a GUID or a full id, asked of
   * ARM at the scope itself: a role that does not exist there, or a scope that does not exist, is a
   * clear BotError before anything is created.
   */
  async roleDefinitionId(scope: string, role: string): Promise<string> {
    const sub = subscriptionOf(scope);
    const op = { requestOptions: { timeout: this.opts.timeoutMs } };
    const guid = GUID.test(role) ? role : /\/roleDefinitions\/([0-9a-f-]{36})$/i.exec(role)?.[1];
    try {
      if (guid) {
        const def = await this.client(sub).roleDefinitions.get(scope, guid, op);
        if (def.id) return def.id;
      } else {
        const filter = `roleName eq '${role.replace(/'/g, "''")}'`;
        for await (const def of this.client(sub).roleDefinitions.list(scope, { filter, ...op })) {
          if (def.id) return def.id;
        }
      }
    } catch (e) {
      throw resolutionError(e, scope, role);
    }
    throw unknownRole(scope, role);
  }

  /** Whether the assignment (under the name this adapter gives it) exists. */
  async exists(scope: string, principalId: string, roleDefinitionId: string): Promise<boolean> {
    const client = this.client(subscriptionOf(scope));
    try {
      await client.roleAssignments.get(scope, assignmentName(scope, principalId, roleDefinitionId), { requestOptions: { timeout: this.opts.timeoutMs } });
      return true;
    } catch (e) {
      if ((e as ArmError).statusCode === 404) return false;
      throw e;
    }
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
      // Loaded on first use: `sp create` is rare, and the SDK is heavy to load.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { AuthorizationManagementClient: Client } = require('@azure/arm-authorization') as typeof import('@azure/arm-authorization');
      c = new Client(this.opts.credential, subscriptionId, {
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
