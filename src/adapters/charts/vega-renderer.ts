/**
 * The ChartRenderer port over Vega-Lite → Vega (SVG) → resvg (PNG), in a worker thread started on
 * the first chart or on `warm()` (a chart-drawing command calls it before its upstream reads, the
 * server once it listens): start-up loads none of it, the libraries load while the command waits
 * for Azure, a render never blocks the event loop, and a render that overruns its time limit is
 * abandoned with its worker (the next chart starts a fresh one).
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { CHART_SCALE, type ChartSpec } from '../../core/charts/types';
import type { ChartRenderer } from '../../core/ports';

export interface VegaChartRendererOptions {
  /** Longest wait for one chart, the first one's library loading included. */
  timeoutMs?: number;
  /** Pixels per CSS pixel of the chart (default CHART_SCALE); never wider than 1024 px. */
  scale?: number;
  /** The worker's module (default: render-worker.mjs beside this file; in dist/ the bundled one). */
  workerFile?: string;
}

interface Pending { resolve(png: Uint8Array): void; reject(e: Error): void; timer: NodeJS.Timeout }
interface WorkerAnswer { id: number; png?: Uint8Array; error?: string }

const WORKER_FILE = join(__dirname, 'render-worker.mjs');
export const DEFAULT_CHART_TIMEOUT_MS = 8000;

export class VegaChartRenderer implements ChartRenderer {
  private worker?: Worker;
  private readonly pending = new Map<number, Pending>();
  private seq = 0;
  private readonly timeoutMs: number;
  private readonly scale: number;
  private readonly workerFile: string;
  private starts = 0;

  constructor(opts: VegaChartRendererOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_CHART_TIMEOUT_MS;
    this.scale = opts.scale ?? CHART_SCALE;
    this.workerFile = opts.workerFile ?? WORKER_FILE;
  }

  render(chart: ChartSpec): Promise<Uint8Array> {
    const worker = this.started();
    const id = ++this.seq;
    return new Promise<Uint8Array>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.stopWorker(new Error(`chart ${chart.name} not drawn within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      worker.ref();
      worker.postMessage({ id, spec: chart.vegaLite, scale: this.scale });
    });
  }

  /**
   * Starts the worker and has it load its libraries, without waiting (idempotent: one worker, one
   * load). The worker stays unreferenced while it only warms: a process that draws nothing exits.
   */
  warm(): void {
    if (this.worker) return;
    this.started().postMessage({ warm: true });
  }

  /** Worker threads started so far (one, unless a chart overran its time limit or the worker died). */
  get workerStarts(): number {
    return this.starts;
  }

  /** Ends the worker (shutdown); pending charts fail. */
  async close(): Promise<void> {
    this.stopWorker(new Error('chart renderer closed'));
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.workerFile);
    this.starts += 1;
    worker.unref();
    worker.on('message', (m: WorkerAnswer) => this.settle(m));
    worker.on('error', (e) => this.stopWorker(e instanceof Error ? e : new Error(String(e))));
    worker.on('exit', (code) => { if (this.worker === worker) this.stopWorker(new Error(`chart worker exited (${code})`)); });
    this.worker = worker;
    return worker;
  }

  private settle(m: WorkerAnswer): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    clearTimeout(p.timer);
    if (this.pending.size === 0) this.worker?.unref();
    if (m.png) p.resolve(m.png);
    else p.reject(new Error(`chart not drawn: ${m.error ?? 'no image'}`));
  }

  private stopWorker(cause: Error): void {
    const worker = this.worker;
    this.worker = undefined;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(cause);
      this.pending.delete(id);
    }
    if (worker) void worker.terminate();
  }
}
