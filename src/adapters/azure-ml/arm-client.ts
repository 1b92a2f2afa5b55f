/**
 * One AzureMachineLearningWorkspaces client per subscription, and the resolution of an environment
 * name to its workspace. Every call goes through the client's pipeline: ARM token for the configured
 * audience, bounded retries honouring Retry-After, private CA when given.
 */
import type { AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning';
import { mlSdk } from './sdk';
import type { TokenCredential } from '@azure/identity';
import { BotError } from '../../core/errors';
import type { Logger } from '../../core/ports';
import type { EnvironmentSettings, WorkspaceRef } from '../../core/settings';
import { scopeFor } from '../azure-identity/credential';
import type { ArmCallContext } from './arm-errors';
import {
  type ArmRetrySettings, type AzureMlOptions, DEFAULT_ARM_ENDPOINT, DEFAULT_ARM_RETRY, DEFAULT_ARM_TIMEOUT_MS,
} from './options';
import { retryAfterCapPolicy } from './retry-after-cap';

export interface WorkspaceHandle {
  env: string;
  client: AzureMachineLearningWorkspaces;
  ws: WorkspaceRef;
  /** Options for every SDK operation: the per-attempt timeout. */
  op: { requestOptions: { timeout: number } };
  ctx(what: string): ArmCallContext;
}

export class ArmClients {
  readonly endpoint: string;
  readonly audience: string;
  readonly timeoutMs: number;
  readonly log: Logger;
  private readonly retry: ArmRetrySettings;
  private readonly clients = new Map<string, AzureMachineLearningWorkspaces>();

  constructor(private readonly credential: TokenCredential, private readonly opts: AzureMlOptions) {
    this.endpoint = (opts.armEndpoint ?? DEFAULT_ARM_ENDPOINT).replace(/\/+$/, '');
    this.audience = (opts.armAudience ?? DEFAULT_ARM_ENDPOINT).replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_ARM_TIMEOUT_MS;
    this.retry = { ...DEFAULT_ARM_RETRY, ...opts.retry };
    this.log = opts.log;
  }

  environment(env: string): EnvironmentSettings {
    const wanted = env.toLowerCase();
    const found = this.opts.environments.find((e) => e.name.toLowerCase() === wanted);
    if (!found) {
      const known = this.opts.environments.map((e) => e.name).join(', ');
      throw new BotError('unknown_env', `There is no environment named "${env}".`, { remedy: `Use one of: ${known}.` });
    }
    return found;
  }

  workspace(env: string): WorkspaceHandle {
    const settings = this.environment(env);
    const ws = settings.workspace;
    const audience = this.audience;
    return {
      env: settings.name,
      client: this.clientFor(ws.subscriptionId),
      ws,
      op: { requestOptions: { timeout: this.timeoutMs } },
      ctx: (what: string) => ({ what, env: settings.name, workspace: ws, audience }),
    };
  }

  /** ARM resource id of the workspace, for ids of child resources. */
  workspaceId(ws: WorkspaceRef): string {
    return `/subscriptions/${ws.subscriptionId}/resourceGroups/${ws.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${ws.name}`;
  }

  private clientFor(subscriptionId: string): AzureMachineLearningWorkspaces {
    let client = this.clients.get(subscriptionId);
    if (!client) {
      client = new (mlSdk().AzureMachineLearningWorkspaces)(this.credential, subscriptionId, {
        endpoint: this.endpoint,
        // Without this the token would be asked for the endpoint itself (wrong for sovereign/fake endpoints).
        credentialScopes: [scopeFor(this.audience)],
        ...(this.opts.ca ? { tlsOptions: { ca: this.opts.ca } } : {}),
        retryOptions: {
          maxRetries: this.retry.maxRetries,
          retryDelayInMs: this.retry.retryDelayMs,
          maxRetryDelayInMs: this.retry.maxRetryDelayMs,
        },
        additionalPolicies: [{ policy: retryAfterCapPolicy(this.retry.maxRetryAfterMs), position: 'perRetry' }],
        userAgentOptions: { userAgentPrefix: 'mlops-bot' },
      });
      this.clients.set(subscriptionId, client);
    }
    return client;
  }
}
