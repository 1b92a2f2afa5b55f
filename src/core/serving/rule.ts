/**
 * The effective serving setting of a model: the first `models:` rule whose `match` (exact name or
 * glob with `*` and `?`) names it and that sets `serving`. Without one the bot discovers what serves
 * the model by reading every endpoint of the environment.
 */
import type { BotSettings, ModelRule, ServingSettings } from '../settings';

export function globMatches(pattern: string, name: string): boolean {
  if (!/[*?]/.test(pattern)) return pattern.toLowerCase() === name.toLowerCase();
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 'i').test(name);
}

/** The first rule matching the model (first match wins, whatever it sets). */
export function ruleFor(settings: BotSettings, model: string): ModelRule | undefined {
  return (settings.models ?? []).find((r) => globMatches(r.match, model));
}

export function servingFor(settings: BotSettings, model: string): ServingSettings | undefined {
  return ruleFor(settings, model)?.serving;
}
