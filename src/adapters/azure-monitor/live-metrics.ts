/**
 * LiveMetrics over Azure Monitor: one read = two Metrics_List queries on the online endpoint
 * resource, sent at once (one round trip): requests split by deployment and status-code class,
 * and p95 latency split by deployment. Same credential, ARM endpoint, audience and private CA as
 * the Azure ML adapters; bounded retries; each attempt and the whole read have a timeout.
 */
import { ServiceClient } from '@azure/core-client';
import { createHttpHeaders, createPipelineRequest, RestError } from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/identity';
import { BotError } from '../../core/errors';
import type { DeploymentLiveFigures, LiveMetrics, Logger } from '../../core/ports';
import type { EnvironmentSettings } from '../../core/settings';
import { scopeFor } from '../azure-identity/credential';
import { retryAfterCapPolicy } from '../azure-ml/retry-after-cap';
import { toMonitorError, type ReadContext } from './errors';
import { type AzureMonitorOptions, MONITOR_DEFAULTS } from './options';
import { deploymentsIn, latencyP95, requestSums, sameName, seriesOf } from './parse';
import { endpointResourceId, LATENCY_METRIC, metricsUrl, type MetricsQuery, readQueries, REQUESTS_METRIC } from './query';

const DEFAULT_ARM = 'https://management.azure.com';

export class AzureMonitorLiveMetrics implements LiveMetrics {
  private readonly client: ServiceClient;
  private readonly armEndpoint: string;
  private readonly audience: string;
  private readonly timeoutMs: number;
  private readonly readTimeoutMs: number;
  private readonly log: Logger;

  constructor(credential: TokenCredential, private readonly opts: AzureMonitorOptions) {
    this.armEndpoint = (opts.armEndpoint ?? DEFAULT_ARM).replace(/\/+$/, '');
    this.audience = (opts.armAudience ?? DEFAULT_ARM).replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? MONITOR_DEFAULTS.timeoutMs;
    this.readTimeoutMs = opts.readTimeoutMs ?? MONITOR_DEFAULTS.readTimeoutMs;
    this.log = opts.log;
    this.client = new ServiceClient({
      endpoint: this.armEndpoint,
      credential,
      // Tokens for the ARM audience even when the endpoint is the emulator or a sovereign cloud.
      credentialScopes: [scopeFor(this.audience)],
      ...(opts.ca ? { tlsOptions: { ca: opts.ca } } : {}),
      retryOptions: { maxRetries: opts.maxRetries ?? MONITOR_DEFAULTS.maxRetries, retryDelayInMs: opts.retryDelayMs ?? MONITOR_DEFAULTS.retryDelayMs, maxRetryDelayInMs: 10_000 },
      additionalPolicies: [{ policy: retryAfterCapPolicy(15_000), position: 'perRetry' }],
      userAgentOptions: { userAgentPrefix: 'mlops-bot' },
    });
  }

  async deploymentFigures(env: string, endpoint: string, window: { from: Date; to: Date }, deployments: string[]): Promise<DeploymentLiveFigures[]> {
    const settings = this.environment(env);
    const ctx: ReadContext = { env: settings.name, endpoint, audience: this.audience };
    if (!(window.to.getTime() > window.from.getTime())) {
      throw new BotError('usage', `The metrics window must end after it starts (${window.from.toISOString()} … ${window.to.toISOString()}).`);
    }
    const resourceId = endpointResourceId(settings.workspace, endpoint);
    const signal = AbortSignal.timeout(this.readTimeoutMs);
    try {
      const [requestsQuery, latencyQuery] = readQueries(window, deployments);
      const [requestsBody, latencyBody] = await Promise.all([this.get(resourceId, requestsQuery, signal), this.get(resourceId, latencyQuery, signal)]);
      const requests = seriesOf(requestsBody, REQUESTS_METRIC, 'total');
      const latency = seriesOf(latencyBody, LATENCY_METRIC, 'average');
      const names = [...deployments];
      for (const d of deploymentsIn(requests, latency)) if (!names.some((n) => sameName(n, d))) names.push(d);
      return names.map((deployment) => {
        const sums = requests ? requestSums(requests, deployment) : null;
        return {
          deployment,
          requests: sums?.requests ?? null,
          errors5xx: sums?.errors5xx ?? null,
          latencyP95Ms: latency ? latencyP95(latency, deployment, sums?.perPoint) : null,
        };
      });
    } catch (e) {
      const error = e instanceof SyntaxError || (e instanceof Error && e.message === 'metrics answer without value[]')
        ? new BotError('upstream_invalid', `Azure Monitor sent an answer the bot cannot read for endpoint ${endpoint} in ${ctx.env}.`, { remedy: 'Try again; if it persists, report it with the correlation id.' })
        : toMonitorError(e, ctx);
      this.log.warn({ env: ctx.env, endpoint, code: error.code }, 'live metrics read failed');
      throw error;
    }
  }

  private async get(resourceId: string, query: MetricsQuery, abortSignal: AbortSignal): Promise<unknown> {
    const response = await this.client.sendRequest(createPipelineRequest({
      url: metricsUrl(this.armEndpoint, resourceId, query),
      method: 'GET',
      headers: createHttpHeaders({ accept: 'application/json' }),
      timeout: this.timeoutMs,
      abortSignal,
    }));
    if (response.status >= 300) {
      let code: string | undefined;
      let message = `HTTP ${response.status}`;
      try {
        const parsed = JSON.parse(response.bodyAsText ?? '') as { error?: { code?: string; message?: string }; code?: string; message?: string };
        code = parsed.error?.code ?? parsed.code;
        message = parsed.error?.message ?? parsed.message ?? message;
      } catch { /* not JSON: the status says enough */ }
      throw new RestError(message, { statusCode: response.status, code, response });
    }
    return JSON.parse(response.bodyAsText ?? '');
  }

  private environment(env: string): EnvironmentSettings {
    const found = this.opts.environments.find((e) => e.name.toLowerCase() === env.toLowerCase());
    if (found) return found;
    throw new BotError('unknown_env', `There is no environment named "${env}".`, { remedy: `Use one of: ${this.opts.environments.map((e) => e.name).join(', ')}.` });
  }
}
