/**
 * The Azure side of the bot: one credential, the Azure ML and Azure DevOps adapters. In demo mode
 * the same adapters point at the local emulator; only endpoints and the trusted CA differ.
 */
import type { TokenCredential } from '@azure/identity';
import { DevOpsReleases, type DevOpsAuth, type DevOpsRetrySettings } from '../adapters/azure-devops';
import { releasesOfEnv } from '../core/policy/model-policy';
import { createAzureCredential, DEVOPS_AUDIENCE, scopeFor } from '../adapters/azure-identity';
import { AzureMlRegistry, AzureMlSchedules, AzureMlServing } from '../adapters/azure-ml';
import { AzureMonitorLiveMetrics } from '../adapters/azure-monitor';
import type { RuntimeConfig } from '../config';
import type { Clock, IdentityAdmin, LiveMetrics, Logger, ModelRegistry, Releases, Schedules, Serving, Store } from '../core/ports';
import { EntraIdentityAdmin, GraphDirectory } from '../adapters/entra';
import { BotError } from '../core/errors';
import type { BotSettings } from '../core/settings';

/** Where Azure is: the configured cloud, or the emulator's endpoints. */
export interface AzureEndpoints {
  armEndpoint: string;
  armAudience: string;
  devopsOrgUrl?: string;
  devopsPat?: string;
  identityEndpoint?: string;
  identityHeader?: string;
  ca?: string;
  /** Microsoft Graph base URL (service principals). */
  graphEndpoint: string;
  /** Entra tenant of the service principals the bot creates; without it `sp create` is not set up. */
  tenantId?: string;
  /** Entra authority host people sign in at for `link` (the emulator's in the demo). */
  authorityHost?: string;
  /** The emulator's public sign-in client (demo only). */
  signInClientId?: string;
  /** Azure DevOps call bounds (tests and benchmarks shorten them; the adapter's defaults otherwise). */
  devopsRetry?: Partial<DevOpsRetrySettings>;
  devopsTimeoutMs?: number;
}

export interface AzurePorts {
  credential: TokenCredential;
  registry: ModelRegistry;
  schedules: Schedules;
  releases: Releases;
  identityAdmin: IdentityAdmin;
  serving: Serving;
  /** Azure Monitor metrics of online endpoints (rollout checks), with the ARM endpoint, audience and CA of the ML adapters. */
  liveMetrics: LiveMetrics;
}

export function endpointsFromRuntime(runtime: RuntimeConfig): AzureEndpoints {
  return {
    armEndpoint: runtime.azure.resourceManagerEndpoint,
    armAudience: runtime.azure.resourceManagerAudience,
    devopsOrgUrl: runtime.devops.orgUrl,
    devopsPat: runtime.devops.pat?.reveal(),
    identityEndpoint: runtime.azure.identityEndpoint,
    identityHeader: runtime.azure.identityHeader?.reveal(),
    graphEndpoint: runtime.azure.graphEndpoint,
    tenantId: runtime.azure.tenantId,
  };
}

export function buildAzurePorts(settings: BotSettings, runtime: RuntimeConfig, at: AzureEndpoints, log: Logger): AzurePorts {
  const credential = createAzureCredential({
    tenantId: runtime.azure.tenantId,
    clientId: runtime.azure.clientId,
    clientSecret: runtime.azure.clientSecret?.reveal(),
    authorityHost: runtime.azure.authorityHost,
    identityEndpoint: at.identityEndpoint,
    identityHeader: at.identityHeader,
    ca: at.ca,
  });
  const ml = { environments: settings.environments, armEndpoint: at.armEndpoint, armAudience: at.armAudience, ca: at.ca, log: log.child({ component: 'azure-ml' }) };
  const devopsScope = scopeFor(DEVOPS_AUDIENCE);
  const orgUrl = requireOrgUrl(settings, at.devopsOrgUrl);
  const auth: DevOpsAuth = at.devopsPat
    ? { pat: at.devopsPat }
    : { tokenProvider: async () => (await credential.getToken(devopsScope))?.token ?? '' };
  const releases = new DevOpsReleases({
    orgUrl, project: settings.devops.project, auth, environments: settings.environments, models: settings.models, log: log.child({ component: 'azure-devops' }),
    ...(at.devopsRetry ? { retry: at.devopsRetry } : {}), ...(at.devopsTimeoutMs ? { timeoutMs: at.devopsTimeoutMs } : {}),
  });
  const identityAdmin = at.tenantId
    ? new EntraIdentityAdmin({
      graphEndpoint: at.graphEndpoint,
      getToken: async (scope) => (await credential.getToken(scope))?.token ?? '',
      armEndpoint: at.armEndpoint, armAudience: at.armAudience, credential, ca: at.ca,
      devops: { orgUrl, project: settings.devops.project, auth },
      tenantId: at.tenantId,
      log: log.child({ component: 'entra' }),
    })
    : notConfiguredIdentityAdmin;
  return {
    credential, registry: new AzureMlRegistry(credential, ml), schedules: new AzureMlSchedules(credential, ml), releases, identityAdmin,
    serving: new AzureMlServing(credential, ml),
    liveMetrics: new AzureMonitorLiveMetrics(credential, { ...ml, log: log.child({ component: 'azure-monitor' }) }),
  };
}

/**
 * Emails and groups of approvers through Microsoft Graph, on the same condition as the Entra adapter
 * (a tenant: always in the demo, where the emulator answers; AZURE_TENANT_ID otherwise).
 */
export function buildGraphDirectory(at: AzureEndpoints, credential: TokenCredential, store: Store, log: Logger, clock?: Clock): GraphDirectory | undefined {
  if (!at.tenantId) return undefined;
  return new GraphDirectory({
    graphEndpoint: at.graphEndpoint,
    getToken: async (scope) => (await credential.getToken(scope))?.token ?? '',
    ca: at.ca, store, clock, log: log.child({ component: 'graph-directory' }),
  });
}

/** Releases need an organisation; say which variable to set rather than failing on the first call. */
function requireOrgUrl(settings: BotSettings, orgUrl: string | undefined): string {
  if (orgUrl) return orgUrl;
  const withRelease = settings.environments.filter((e) => releasesOfEnv(settings, e).length > 0).map((e) => e.name);
  if (withRelease.length === 0) return 'https://dev.azure.com/unused';
  throw new BotError('config_invalid', `AZURE_DEVOPS_ORG_URL is not set, but environments ${withRelease.join(', ')} release through Azure DevOps.`, {
    remedy: 'Set AZURE_DEVOPS_ORG_URL to your organisation, e.g. https://dev.azure.com/contoso (and AZURE_DEVOPS_PAT, or grant the bot identity access).',
  });
}

const notConfigured = (): never => {
  throw new BotError('config_invalid', 'Service principal creation is not set up in this installation.', {
    remedy: 'Set AZURE_TENANT_ID (the tenant of the service principals) and give the bot identity Application.ReadWrite.OwnedBy in Microsoft Graph.',
  });
};
const notConfiguredIdentityAdmin: IdentityAdmin = {
  survey: async () => notConfigured(),
  ensureServicePrincipal: async () => notConfigured(),
};
