/**
 * What a traffic change or the traffic view needs from Azure ML, in one round of parallel calls:
 * the endpoint (its split and mirror) and its deployments (names, versions, states). An endpoint
 * that does not exist is named with the ones that do (a second call, only on that path).
 */
import { BotError } from '../errors';
import type { Serving } from '../ports';
import type { OnlineDeploymentInfo, OnlineEndpointInfo } from '../serving/types';

export interface EndpointRead {
  endpoint: OnlineEndpointInfo;
  deployments: OnlineDeploymentInfo[];
}

export async function readEndpoint(serving: Serving, env: string, name: string): Promise<EndpointRead> {
  const [endpoint, deployments] = await Promise.all([serving.getOnlineEndpoint(env, name), serving.listOnlineDeployments(env, name)]);
  if (!endpoint || !deployments) {
    const known = (await serving.listOnlineEndpoints(env).catch(() => [])).map((e) => e.name);
    throw new BotError('not_found', `There is no online endpoint ${name} in ${env}.`, {
      remedy: known.length ? `Online endpoints in ${env}: ${known.join(', ')}.` : `${env} has no online endpoint; see: endpoints --env ${env}`,
    });
  }
  return { endpoint, deployments };
}

export const modelLabel = (d: OnlineDeploymentInfo): string => (d.model ? `${d.model.name} v${d.model.version}` : '—');
