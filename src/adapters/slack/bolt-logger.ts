/**
 * Bolt and the Web API client log through @slack/logger's interface (variadic, level setters);
 * this sends their lines to the bot's logger so they carry its redaction and bindings.
 */
import { LogLevel, type Logger as SlackLogger } from '@slack/logger';
import type { Logger } from '../../core/ports';

export function boltLogger(log: Logger): SlackLogger {
  let level: LogLevel = LogLevel.INFO;
  const text = (parts: unknown[]): { msg: string; err?: { name: string; message: string } } => {
    const err = parts.find((p): p is Error => p instanceof Error);
    const msg = parts.filter((p) => !(p instanceof Error)).map((p) => (typeof p === 'string' ? p : safeJson(p))).join(' ');
    return err ? { msg: msg || err.message, err: { name: err.name, message: err.message } } : { msg };
  };
  const emit = (fn: 'debug' | 'info' | 'warn' | 'error', parts: unknown[]): void => {
    const { msg, err } = text(parts);
    log[fn](err ? { err } : {}, msg);
  };
  return {
    debug: (...m: unknown[]) => emit('debug', m),
    info: (...m: unknown[]) => emit('info', m),
    warn: (...m: unknown[]) => emit('warn', m),
    error: (...m: unknown[]) => emit('error', m),
    setLevel: (l: LogLevel) => void (level = l),
    getLevel: () => level,
    setName: () => undefined,
  };
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
