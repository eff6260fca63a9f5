/** One item's outcome in a batch: its value, or the error its own request should get. */
export type Settled<O> = { ok: true; value: O } | { ok: false; error: unknown };

/**
 * Application-level group commit for a hot write path (decision 0007): requests that arrive while a
 * batch is being written wait, and go together in the next one — one transaction, set-based
 * statements, one commit — instead of one transaction each. Nobody waits on a timer: an idle system
 * writes a lone request at once (a batch of one); under load, batches grow by themselves to what
 * arrived during the previous write. Each request still returns only after its own batch committed.
 *
 * `write` gets the items in arrival order and returns one `Settled` per item, in the same order; it
 * must settle every item (a failed batch is the writer's to retry item by item, so one bad request
 * does not fail the others). If it throws anyway, every item of the batch gets that error.
 */
export class GroupCommit<I, O> {
  private queue: { item: I; resolve: (v: O) => void; reject: (e: unknown) => void }[] = [];
  private inFlight = 0;

  constructor(
    private readonly write: (items: I[]) => Promise<Settled<O>[]>,
    private readonly opts: { maxBatch: number; maxInFlight: number } = { maxBatch: 100, maxInFlight: 1 },
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.pump();
    });
  }

  /** Items waiting for a batch (for tests and metrics). */
  get waiting(): number {
    return this.queue.length;
  }

  private pump(): void {
    while (this.inFlight < this.opts.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.opts.maxBatch);
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async run(batch: typeof this.queue): Promise<void> {
    let results: Settled<O>[];
    try {
      results = await this.write(batch.map((b) => b.item));
      if (results.length !== batch.length) {
        throw new Error(`group commit: ${results.length} results for ${batch.length} items`);
      }
    } catch (err) {
      for (const b of batch) b.reject(err);
      return;
    }
    batch.forEach((b, i) => {
      const r = results[i];
      if (r.ok) b.resolve(r.value);
      else b.reject(r.error);
    });
  }
}
