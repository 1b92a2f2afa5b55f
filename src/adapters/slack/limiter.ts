/**
 * At most `max` deliveries at once. Rendering a card and posting it costs more CPU than an ack, and
 * a burst of answers (many commands finishing together) would otherwise run back to back on the
 * event loop while new requests wait for their ack, which Slack needs within 3 s; answers can wait
 * (a response_url stays valid 30 minutes). Queued work starts as earlier work completes, so acks
 * are served in between.
 */
export class Limiter {
  private active = 0;
  private readonly queue: (() => void)[] = [];

  constructor(private readonly max: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.active++;
    try {
      return await work();
    } finally {
      this.active--;
      this.queue.shift()?.();
    }
  }
}
