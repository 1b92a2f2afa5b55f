import type { Clock } from '../../src/core/ports';

/** A clock that moves only when the test says so. */
export class FakeClock implements Clock {
  private t: number;
  constructor(start = '2026-11-02T09:00:00.000Z') { this.t = Date.parse(start); }
  now(): Date { return new Date(this.t); }
  advance(ms: number): void { this.t += ms; }
  set(iso: string): void { this.t = Date.parse(iso); }
}
