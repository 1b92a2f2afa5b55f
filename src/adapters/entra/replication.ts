/** Entra and ARM see new objects after a delay: some failures mean "not yet", and are retried a few times. */
export async function withReplicationRetry<T>(delays: number[], transient: (e: unknown) => boolean, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (attempt >= delays.length || !transient(e)) throw e;
      await new Promise((r) => setTimeout(r, delays[attempt]));
    }
  }
}
