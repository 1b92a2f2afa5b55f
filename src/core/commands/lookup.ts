import { modelNamesForHints } from '../catalogue/model-catalogue';
import { BotError } from '../errors';
import { parseDuration } from '../format/duration';
import type { ModelVersionInfo } from '../models';
import { findEnvironment, type BotSettings, type EnvironmentSettings } from '../settings';
import { clip, nearest } from './suggest';
import type { ParsedArgs, Ports } from './types';

/** A string flag's value (the parser guarantees strings for string flags). */
export function flag(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags[name];
  return typeof v === 'string' ? v : undefined;
}

/** The environment named by the user, or the fallback; an unknown name lists the valid ones. */
/** The environment named by `--env`, or undefined when the flag is absent (unknown names throw). */
export function envFlag(settings: BotSettings, args: ParsedArgs): EnvironmentSettings | undefined {
  const name = flag(args, 'env');
  return name === undefined ? undefined : environment(settings, name);
}

export function environment(settings: BotSettings, name: string | undefined, fallback = settings.source): EnvironmentSettings {
  const wanted = name ?? fallback;
  const env = findEnvironment(settings, wanted);
  if (env) return env;
  const names = settings.environments.map((e) => e.name);
  const hint = nearest(wanted, names);
  throw new BotError('unknown_env', `No environment '${clip(wanted)}'. Environments: ${names.join(', ')}.`, {
    remedy: hint ? `Did you mean \`${hint}\`?` : `Use one of: ${names.join(', ')}.`,
    details: { env: clip(wanted), valid: names },
  });
}

/** Versions of a model, newest first (every page); an unknown model lists the models of that environment. */
export async function versionsOf(ports: Ports, env: string, model: string): Promise<ModelVersionInfo[]> {
  const versions = await ports.registry.listVersions(env, model);
  if (versions !== null && versions.length > 0) return versions;
  throw await unknownModel(ports, env, model);
}

/** The newest `top` versions in one round trip, and whether older ones exist; unknown models as above. */
export async function recentVersionsOf(ports: Ports, env: string, model: string, top: number): Promise<{ versions: ModelVersionInfo[]; more: boolean }> {
  const page = await ports.registry.recentVersions(env, model, top);
  if (page !== null && page.versions.length > 0) return page;
  throw await unknownModel(ports, env, model);
}

/** The error for an unknown model, with the nearest name from the catalogue (no walk over every page). */
export async function unknownModel(ports: Pick<Ports, 'registry' | 'store' | 'clock'>, env: string, model: string): Promise<BotError> {
  const { names, exact } = await modelNamesForHints(ports, env);
  const hint = nearest(model, names);
  const list = names.length === 0 ? 'It has no models yet.' : `Models: ${shortList(names)}${exact ? '' : ' …'}.`;
  return new BotError('unknown_model', `No model '${clip(model)}' in ${env}. ${list}`, {
    remedy: hint ? `Did you mean \`${hint}\`?` : 'Type `models` to list the models.',
    details: { model: clip(model), env },
  });
}

/** `v5` and `5` both mean version 5. */
export function normaliseVersion(text: string): string {
  return /^v\d+$/i.test(text) ? text.slice(1) : text;
}

export function versionIn(versions: ModelVersionInfo[], model: string, env: string, wanted: string): ModelVersionInfo {
  const v = normaliseVersion(wanted);
  const found = versions.find((x) => x.version === v);
  if (found) return found;
  const valid = [...versions].map((x) => x.version).reverse();
  throw new BotError('unknown_version', `No version '${clip(wanted)}' of ${model} in ${env}. Versions: ${shortList(valid)}.`, {
    remedy: `Type \`model ${model}\` to see its versions.`,
    details: { model, env, version: clip(wanted) },
  });
}

/** Look-back window flag (`--since 24h`). */
export function since(args: ParsedArgs, fallback: string, now: Date): { from: Date; text: string } {
  const text = flag(args, 'since') ?? fallback;
  const ms = parseDuration(text);
  if (ms === null) {
    throw new BotError('usage', `'${clip(text)}' is not a duration for --since.`, { remedy: 'Use for example 90m, 24h, 7d or 2w.' });
  }
  return { from: new Date(now.getTime() - ms), text };
}

/** Long lists are cut so an error message stays readable. */
export function shortList(items: string[], max = 15): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} … (${items.length} in all)`;
}
