/**
 * The per-invocation logger, made on first use. Most Slack requests log nothing, and making a child
 * logger (bindings redacted and serialised) for each one would sit on the path before the ack.
 * The lines, when there are any, are the same as childForInvocation's. A class, so each request
 * allocates one small object rather than a set of closures.
 */
import type { Logger } from '../../core/ports';
import { childForInvocation } from '../../logging/logger';

class LazyLog implements Logger {
  private made: Logger | undefined;

  constructor(private readonly parent: Logger, private readonly correlationId: string, private readonly extra: Record<string, unknown>) {}

  private get log(): Logger {
    return (this.made ??= childForInvocation(this.parent, this.correlationId, this.extra));
  }

  child(bindings: Record<string, unknown>): Logger { return this.log.child(bindings); }
  debug(obj: Record<string, unknown>, msg?: string): void { this.log.debug(obj, msg); }
  info(obj: Record<string, unknown>, msg?: string): void { this.log.info(obj, msg); }
  warn(obj: Record<string, unknown>, msg?: string): void { this.log.warn(obj, msg); }
  error(obj: Record<string, unknown>, msg?: string): void { this.log.error(obj, msg); }
}

export function invocationLog(parent: Logger, correlationId: string, extra: Record<string, unknown>): Logger {
  return new LazyLog(parent, correlationId, extra);
}
