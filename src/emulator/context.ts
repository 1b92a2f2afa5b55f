/** What every route family and the simulation share. */
import type { Logger } from '../core/ports';
import type { EmulatorEvent } from './events';
import type { EmulatorState } from './state';

export interface EmulatorClock {
  now(): Date;
}

export interface EmulatorContext {
  state: EmulatorState;
  clock: EmulatorClock;
  log: Logger;
  /** Writes the state to disk (call after every change). */
  persist(): void;
  emit(event: EmulatorEvent): void;
  /** Deterministic random number in [0, 1) drawn from the persisted seed. */
  random(): number;
  /** `https://127.0.0.1:PORT` of the TLS server, known once it listens. */
  armBase(): string;
  /** Organization URL of the Azure DevOps emulation. */
  devopsOrgUrl(): string;
}

export function isoAt(ms: number): string {
  return new Date(ms).toISOString();
}
