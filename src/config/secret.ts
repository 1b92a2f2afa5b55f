import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/**
 * A configuration value that must never be printed. Every way an object usually becomes text
 * (template strings, JSON, util.inspect, console.log) yields `[redacted]`; only `reveal()` gives the
 * value, so each place that really needs it is explicit and easy to review.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }

  [Symbol.toPrimitive](): string {
    return REDACTED;
  }
}

export const isSecret = (v: unknown): v is Secret => v instanceof Secret;
