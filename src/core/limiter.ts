/**
 * At most `max` functions at once; the rest wait and start in order as earlier ones finish. The
 * outbox worker uses it to bound effects in flight; the Slack surface to keep a burst of answers
 * (card rendering and posting) from crowding out new requests' acks, which Slack needs within 3 s.
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
