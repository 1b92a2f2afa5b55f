/**
 * Records what the adapters send to the emulator (and what it answers) during an integration test
 * and checks each exchange against the official API specs (test/conformance). Not a test file.
 */
import type { EmulatorExchange } from '../../src/emulator/exchange';
import { SpecChecker, type Violation } from '../conformance/openapi-check';

let shared: SpecChecker | undefined;

export interface ConformanceRecorder {
  onExchange(exchange: EmulatorExchange): void;
  exchanges: EmulatorExchange[];
  violations(): Violation[];
  /** Operation ids seen, for the log of what a suite covered. */
  covered(): string[];
}

export function conformanceRecorder(): ConformanceRecorder {
  shared ??= new SpecChecker();
  const checker = shared;
  const exchanges: EmulatorExchange[] = [];
  return {
    exchanges,
    onExchange: (exchange) => { exchanges.push(exchange); },
    violations: () => dedupe(exchanges.flatMap((e) => checker.check(e))),
    covered: () => [...new Set(exchanges.map((e) => checker.match(e)).filter((m): m is NonNullable<typeof m> & { operationId: string } => !!m && 'operationId' in m).map((m) => m.operationId))],
  };
}

function dedupe(violations: Violation[]): Violation[] {
  const seen = new Set<string>();
  return violations.filter((v) => {
    const key = `${v.operation.replace(/\(.*\)/, '')}|${v.where}|${v.problem}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
