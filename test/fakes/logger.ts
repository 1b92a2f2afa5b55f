import type { Logger } from '../../src/core/ports';

export interface LogLine { level: string; bindings: Record<string, unknown>; obj: Record<string, unknown>; msg?: string }

/** Records log lines so tests can assert on them (and on the absence of secrets). */
export class CapturingLogger implements Logger {
  constructor(readonly lines: LogLine[] = [], private readonly bindings: Record<string, unknown> = {}) {}
  child(b: Record<string, unknown>): Logger { return new CapturingLogger(this.lines, { ...this.bindings, ...b }); }
  debug(obj: Record<string, unknown>, msg?: string): void { this.lines.push({ level: 'debug', bindings: this.bindings, obj, msg }); }
  info(obj: Record<string, unknown>, msg?: string): void { this.lines.push({ level: 'info', bindings: this.bindings, obj, msg }); }
  warn(obj: Record<string, unknown>, msg?: string): void { this.lines.push({ level: 'warn', bindings: this.bindings, obj, msg }); }
  error(obj: Record<string, unknown>, msg?: string): void { this.lines.push({ level: 'error', bindings: this.bindings, obj, msg }); }
  text(): string { return this.lines.map((l) => JSON.stringify(l)).join('\n'); }
}
