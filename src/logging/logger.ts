import { randomBytes } from 'node:crypto';
import pino from 'pino';
import type { Logger } from '../core/ports';
import { redactKeys } from './redact-keys';
import { SecretScrubber } from './secret-scrubber';

export type LogLevelName = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Anything pino can write finished lines to (a stream, a test sink). */
export interface LogDestination {
  write(line: string): unknown;
}

export interface CreateLoggerOptions {
  level: LogLevelName;
  /** Defaults to standard output. */
  destination?: LogDestination;
  /** Secret values to mask in every line, or a scrubber shared with other outputs. */
  secrets?: readonly string[] | SecretScrubber;
  /** Fields on every line (e.g. `{ service: 'mlops-bot' }`). */
  base?: Record<string, unknown>;
}

export interface AppLogger extends Logger {
  /** Masks more secret values from now on, in this logger and all its children. */
  addSecrets(values: readonly string[]): void;
  /** Writes out anything buffered (call before exiting). */
  flush(): void;
}

/** The Logger port backed by pino, with key- and value-based redaction of secrets. */
export function createLogger(options: CreateLoggerOptions): AppLogger {
  const scrubber = options.secrets instanceof SecretScrubber ? options.secrets : new SecretScrubber(options.secrets ?? []);
  const instance = pino(
    {
      level: options.level,
      base: options.base ?? null,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (obj) => redactKeys(obj) as Record<string, unknown>,
        bindings: (bindings) => redactKeys(bindings) as Record<string, unknown>,
      },
      // Errors were already made plain (and redacted) by the log formatter above.
      serializers: { err: (e: unknown) => e },
      hooks: { streamWrite: (line) => scrubber.scrub(line) },
    },
    (options.destination ?? pino.destination(1)) as pino.DestinationStream,
  );
  return wrap(instance, scrubber);
}

function wrap(instance: pino.Logger, scrubber: SecretScrubber): AppLogger {
  return {
    // pino applies the bindings formatter to the root only, so children are redacted here.
    child: (bindings) => wrap(instance.child(redactKeys(bindings) as Record<string, unknown>), scrubber),
    debug: (obj, msg) => instance.debug(obj, msg),
    info: (obj, msg) => instance.info(obj, msg),
    warn: (obj, msg) => instance.warn(obj, msg),
    error: (obj, msg) => instance.error(obj, msg),
    addSecrets: (values) => scrubber.add(values),
    flush: () => instance.flush(),
  };
}

/** The logger for one inbound command, click or webhook: every line carries its correlation id. */
export function childForInvocation(logger: Logger, correlationId: string, extra: Record<string, unknown> = {}): Logger {
  return logger.child({ ...extra, correlationId });
}

const ALPHABET = 'abcdefghjkmnpqrstuvwxyz023456789';

/** 12 characters (60 random bits) from an alphabet without look-alikes, easy to read out to an operator. */
/** Entropy drawn in blocks: one system call per few hundred ids instead of one per request. */
let pool = Buffer.alloc(0);
let offset = 0;

export function newCorrelationId(): string {
  if (offset + 12 > pool.length) {
    pool = randomBytes(4096);
    offset = 0;
  }
  let id = '';
  for (let i = 0; i < 12; i++) id += ALPHABET[pool[offset + i] % 32];
  offset += 12;
  return id;
}

/** A logger that drops everything, for code paths and tests that do not care about logs. */
export const silentLogger: Logger = {
  child: () => silentLogger,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
