import type { EmulatorExchange } from '../../src/emulator/exchange';
import type { ConformanceRecorder } from '../support/conformance-recorder';
import { SpecChecker } from './openapi-check';

/** A recorded exchange, copied so a test may change it. */
export type MutableExchange = EmulatorExchange & { requestBody: any; responseBody: any };

/**
 * For tests that change a recorded exchange the way a wrong adapter or emulator would and expect the
 * checker to name the problem: `find` copies the first successful exchange matching `METHOD path`.
 */
export function mutationKit(recorder: ConformanceRecorder): {
  find: (operation: RegExp) => MutableExchange;
  problems: (ex: EmulatorExchange) => string[];
} {
  const checker = new SpecChecker();
  return {
    find: (operation) => {
      const ex = recorder.exchanges.find((e) => e.status < 300 && operation.test(`${e.method} ${e.path}`));
      if (!ex) throw new Error(`no recorded exchange for ${operation}`);
      return JSON.parse(JSON.stringify(ex)) as MutableExchange;
    },
    problems: (ex) => checker.check(ex).map((v) => v.problem),
  };
}
