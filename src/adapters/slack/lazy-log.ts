/**
 * The per-invocation logger, made on first use. Most Slack requests log nothing, and making a child
 * logger (bindings redacted and serialised) for each one would sit on the path before the ack.
 * The lines, when there are any, are the same as childForInvocation's.
 */
import type { Logger } from '../../core/ports';
import { childForInvocation } from '../../logging/logger';

export function invocationLog(parent: Logger, correlationId: string, extra: Record<string, unknown>): Logger {
  let made: Logger | undefined;
  const log = (): Logger => (made ??= childForInvocation(parent, correlationId, extra));
  return {
    child: (bindings) => log().child(bindings),
    debug: (obj, msg) => log().debug(obj, msg),
    info: (obj, msg) => log().info(obj, msg),
    warn: (obj, msg) => log().warn(obj, msg),
    error: (obj, msg) => log().error(obj, msg),
  };
}
