/** What the rollout commands share: the engine and service over the context's ports. */
import type { CommandContext } from '../commands/types';
import { RolloutEngine } from './engine';
import { RolloutService } from './service';

export function rolloutEngineFor(ctx: CommandContext): RolloutEngine {
  const { store, clock } = ctx.ports;
  return new RolloutEngine({ store, clock, settings: ctx.settings, log: ctx.log });
}

export function rolloutServiceFor(ctx: CommandContext): RolloutService {
  return new RolloutService({ engine: rolloutEngineFor(ctx), serving: ctx.ports.serving, directory: ctx.ports.directory });
}
