/**
 * The effective `serving` setting of a model in one environment (DESIGN 9.1): the first `models:`
 * rule matching the model, else the environment's own, through the one policy lookup every
 * by-model decision uses (src/core/policy/model-policy.ts). Without one the bot discovers what
 * serves the model by reading every endpoint of the environment.
 */
import { effectivePolicy } from '../policy/model-policy';
import { findEnvironment, type BotSettings, type ServingSettings } from '../settings';

export function servingFor(settings: BotSettings, model: string, env: string): ServingSettings | undefined {
  const environment = findEnvironment(settings, env);
  return environment ? effectivePolicy(settings, model, environment).serving : undefined;
}

/** For `readServing`: the endpoint each environment's read may narrow to. */
export function servingLookup(settings: BotSettings, model: string): (env: string) => ServingSettings | undefined {
  return (env) => servingFor(settings, model, env);
}
