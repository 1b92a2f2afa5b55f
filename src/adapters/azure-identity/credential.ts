/**
 * The one Azure credential the bot uses for ARM, MLflow, Graph and Azure DevOps tokens.
 * A client secret wins; then the App Service style managed identity endpoint when given;
 * otherwise DefaultAzureCredential (workload identity, IMDS managed identity, developer tools).
 */
import type { TokenCredential } from '@azure/identity';
import { AppServiceIdentityCredential } from './app-service-identity';

export interface AzureCredentialOptions {
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  /** Entra authority, e.g. https://login.microsoftonline.us; must be HTTPS. */
  authorityHost?: string;
  /** App Service / Functions managed identity endpoint and its secret header. */
  identityEndpoint?: string;
  identityHeader?: string;
  /** PEM of a CA to trust for a private (test or emulator) authority. */
  ca?: string;
  /** Use only the managed identity (IMDS) instead of the whole default chain. */
  managedIdentityOnly?: boolean;
}

const MICROSOFT_AUTHORITIES = [
  'login.microsoftonline.com', 'login.microsoftonline.us', 'login.chinacloudapi.cn', 'login.microsoftonline.de',
];

export const DEVOPS_AUDIENCE = '499b84ac-1321-427f-aa17-267ca6975798';

/** `https://management.azure.com` → `https://management.azure.com/.default`. */
export function scopeFor(audience: string): string {
  return `${audience.replace(/\/+$/, '')}/.default`;
}

function isMicrosoftAuthority(authorityHost: string): boolean {
  return MICROSOFT_AUTHORITIES.includes(new URL(authorityHost).hostname.toLowerCase());
}

/* eslint-disable @typescript-eslint/no-require-imports */
/** @azure/identity (MSAL) loads only for the credentials that need it, not for the App Service identity endpoint. */
const identity = (): typeof import('@azure/identity') => require('@azure/identity') as typeof import('@azure/identity');

export function createAzureCredential(opts: AzureCredentialOptions): TokenCredential {
  const tlsOptions = opts.ca ? { tlsOptions: { ca: opts.ca } } : {};
  if (opts.clientSecret) {
    if (!opts.tenantId || !opts.clientId) {
      throw new Error('A client secret needs AZURE_TENANT_ID and AZURE_CLIENT_ID as well.');
    }
    const authority = opts.authorityHost
      // Instance discovery asks the public cloud about the authority; a private one must skip it.
      ? { authorityHost: opts.authorityHost, disableInstanceDiscovery: !isMicrosoftAuthority(opts.authorityHost) }
      : {};
    return new (identity().ClientSecretCredential)(opts.tenantId, opts.clientId, opts.clientSecret, { ...authority, ...tlsOptions });
  }
  if (opts.identityEndpoint && opts.identityHeader) {
    return new AppServiceIdentityCredential({ endpoint: opts.identityEndpoint, header: opts.identityHeader, clientId: opts.clientId });
  }
  if (opts.managedIdentityOnly) {
    const { ManagedIdentityCredential } = identity();
    return opts.clientId ? new ManagedIdentityCredential({ clientId: opts.clientId }) : new ManagedIdentityCredential();
  }
  return new (identity().DefaultAzureCredential)({
    ...(opts.tenantId ? { tenantId: opts.tenantId } : {}),
    ...(opts.clientId ? { managedIdentityClientId: opts.clientId, workloadIdentityClientId: opts.clientId } : {}),
    ...(opts.authorityHost ? { authorityHost: opts.authorityHost } : {}),
    ...tlsOptions,
  });
}
