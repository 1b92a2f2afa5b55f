/** The background loop: one run at a time, wake-ups folded into one more run, stop waits for the run in flight. */
import { every } from '../../src/app/background';
import { CapturingLogger } from '../fakes/logger';

function latch(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((r) => { open = r; });
  return { wait, open };
}

/** Resolves when `check` holds, polling on the event loop (bounded). */
async function until(check: () => boolean, rounds = 500): Promise<void> {
  for (let i = 0; i < rounds && !check(); i++) await new Promise((r) => setImmediate(r));
  if (!check()) throw new Error('condition not reached');
}

const HOUR = 3_600_000;

describe('every()', () => {
  it('never overlaps runs and folds wake-ups during a run into one more run', async () => {
    const gate = latch();
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    const loop = every('t', HOUR, async () => {
      runs++;
      running++;
      maxRunning = Math.max(maxRunning, running);
      if (runs === 1) await gate.wait;
      running--;
    }, new CapturingLogger());
    await until(() => runs === 1);
    loop.wake();
    loop.wake();
    loop.wake();
    expect(runs).toBe(1);
    gate.open();
    await until(() => runs === 2 && running === 0);
    expect(maxRunning).toBe(1);
    await loop.stop();
    expect(runs).toBe(2);
  });

  it('stop() waits for the run in flight and nothing runs afterwards', async () => {
    const gate = latch();
    let runs = 0;
    let finished = false;
    const loop = every('t', HOUR, async () => { runs++; await gate.wait; finished = true; }, new CapturingLogger());
    await until(() => runs === 1);
    let stopped = false;
    const stopping = loop.stop().then(() => { stopped = true; });
    await new Promise((r) => setImmediate(r));
    expect(stopped).toBe(false);
    gate.open();
    await stopping;
    expect(finished).toBe(true);
    loop.wake();
    await new Promise((r) => setImmediate(r));
    expect(runs).toBe(1);
  });

  it('logs a failed run and keeps going', async () => {
    const log = new CapturingLogger();
    let runs = 0;
    const loop = every('flaky', HOUR, async () => { runs++; if (runs === 1) throw new Error('store down'); }, log);
    await until(() => log.lines.length === 1);
    expect(log.lines[0]).toMatchObject({ level: 'warn', obj: { loop: 'flaky', err: 'store down' } });
    loop.wake();
    await until(() => runs === 2);
    await loop.stop();
    expect(log.lines).toHaveLength(1);
  });
});
