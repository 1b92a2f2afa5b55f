/**
 * The Entra side: the application, its service principal, its federated credentials and secrets.
 * Each `ensure…` finds the object first, so a second run reports `existed` and creates nothing.
 */
import { createHash } from 'node:crypto';
import { GraphError, odataString, type GraphClient } from './graph-client';
import { withReplicationRetry } from './replication';

export interface AppRef { id: string; appId: string; displayName: string }
export interface Ensured<T> { value: T; created: boolean; note?: string }

interface Listed<T> { value?: T[] }

/** Applications with this display name (Graph does not keep names unique). */
export async function findApplications(graph: GraphClient, displayName: string): Promise<AppRef[]> {
  const filter = encodeURIComponent(`displayName eq ${odataString(displayName)}`);
  const found = await graph.call<Listed<AppRef>>('GET', `/applications?$filter=${filter}&$select=id,appId,displayName`);
  return found?.value ?? [];
}

export async function ensureApplication(graph: GraphClient, displayName: string): Promise<Ensured<AppRef>> {
  const apps = await findApplications(graph, displayName);
  if (apps.length > 0) {
    const note = apps.length > 1 ? `${apps.length} applications have this name; using appId ${apps[0].appId}` : undefined;
    return { value: apps[0], created: false, note };
  }
  const made = await graph.call<AppRef>('POST', '/applications', { displayName, signInAudience: 'AzureADMyOrg' });
  if (!made?.id || !made.appId) throw new GraphError(0, 'InvalidResponse', 'Graph created the application but returned no id/appId');
  return { value: made, created: true };
}

export interface SpRef { id: string; appId: string }

/** New applications take a moment to replicate: creating their service principal is retried meanwhile. */
export async function findServicePrincipal(graph: GraphClient, appId: string): Promise<SpRef | undefined> {
  const found = await graph.call<SpRef>('GET', `/servicePrincipals(appId=${encodeURIComponent(odataString(appId))})`, undefined, true);
  return found?.id ? found : undefined;
}

export async function ensureServicePrincipal(graph: GraphClient, appId: string, delays: number[]): Promise<Ensured<SpRef>> {
  const found = await findServicePrincipal(graph, appId);
  if (found) return { value: found, created: false };
  const made = await withReplicationRetry(delays, isReplicationLag, () => graph.call<SpRef>('POST', '/servicePrincipals', { appId }));
  if (!made?.id) throw new GraphError(0, 'InvalidResponse', 'Graph created the service principal but returned no id');
  return { value: made, created: true };
}

function isReplicationLag(e: unknown): boolean {
  if (!(e instanceof GraphError)) return false;
  return e.status === 404 || (e.status === 400 && /does not reference a valid application|not exist/i.test(e.message));
}

interface Fic { id?: string; name: string; issuer: string; subject: string; audiences: string[] }

/** Federated credential names are immutable and unique per app: derive one from the connection and subject. */
export function federatedCredentialName(connection: string, issuer: string, subject: string): string {
  const hash = createHash('sha256').update(`${issuer}\n${subject}`).digest('hex').slice(0, 8);
  const base = `azure-devops-${connection}`.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 100);
  return `${base}-${hash}`;
}

export async function hasFederatedCredential(graph: GraphClient, app: AppRef, issuer: string, subject: string): Promise<boolean> {
  const list = await graph.call<Listed<Fic>>('GET', `/applications/${encodeURIComponent(app.id)}/federatedIdentityCredentials`);
  return (list?.value ?? []).some((f) => f.issuer === issuer && f.subject === subject);
}

export async function ensureFederatedCredential(
  graph: GraphClient, app: AppRef, connection: string, issuer: string, subject: string, delays: number[],
): Promise<Ensured<Fic>> {
  const path = `/applications/${encodeURIComponent(app.id)}/federatedIdentityCredentials`;
  const list = await withReplicationRetry(delays, isReplicationLag, () => graph.call<Listed<Fic>>('GET', path));
  const same = (list?.value ?? []).find((f) => f.issuer === issuer && f.subject === subject);
  if (same) return { value: same, created: false };
  const body: Fic = {
    name: federatedCredentialName(connection, issuer, subject), issuer, subject, audiences: ['api://AzureADTokenExchange'],
  };
  const made = await graph.call<Fic>('POST', path, { ...body, description: `Azure DevOps service connection ${connection}` });
  return { value: made ?? body, created: true };
}

export interface NewSecret { keyId: string; secretText: string; endDateTime: string }

/** A client secret; its text is returned once by Graph and must go straight to its one consumer. */
export async function addSecret(graph: GraphClient, app: AppRef, displayName: string, endDateTime: Date): Promise<NewSecret> {
  const made = await graph.call<Partial<NewSecret>>('POST', `/applications/${encodeURIComponent(app.id)}/addPassword`, {
    passwordCredential: { displayName, endDateTime: endDateTime.toISOString() },
  });
  if (!made?.keyId || !made.secretText) throw new GraphError(0, 'InvalidResponse', 'Graph added a secret but returned no keyId/secretText');
  return { keyId: made.keyId, secretText: made.secretText, endDateTime: made.endDateTime ?? endDateTime.toISOString() };
}

export async function removeSecret(graph: GraphClient, app: AppRef, keyId: string): Promise<void> {
  await graph.call('POST', `/applications/${encodeURIComponent(app.id)}/removePassword`, { keyId });
}
