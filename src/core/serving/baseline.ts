/**
 * The version a candidate is compared with: the one serving the most traffic in the target
 * environment, read from Azure ML; `undefined` when no endpoint serves the model there (the caller
 * then falls back to the history and the tag) or when serving cannot be read.
 */
import type { Serving } from '../ports';
import type { BotSettings } from '../settings';
import { readServing, type ReadOptions } from './read';
import { servingLookup } from './rule';
import { primaryServed, type Served } from './served';

export async function servedInEnv(serving: Serving | undefined, settings: BotSettings, model: string, env: string, memory?: ReadOptions['memory']): Promise<Served | undefined> {
  if (!serving) return undefined;
  const [read] = await readServing(serving, [env], { servingOf: servingLookup(settings, model), memory });
  return read.error ? undefined : primaryServed(model, read);
}
