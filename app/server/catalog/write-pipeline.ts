import { CopyTextBuffer } from "./copy-rows.ts";

/**
 * Batches written while the next ones are parsed: at most two writes in flight (each on its
 * own pool connection, so PostgreSQL works on both), their buffers reused once written.
 * Waiting for a slot is the backpressure that keeps the download from outrunning the writes.
 */
export class WritePipeline {
  private readonly inflight: Promise<void>[] = [];
  private readonly spare: CopyTextBuffer[] = [];

  /** `capacity`: the bytes a new batch starts with (one that fills past it grows). */
  constructor(private readonly capacity?: number) {}

  /** An empty batch to fill (a recycled one when there is one). */
  batch(): CopyTextBuffer {
    return this.spare.pop() ?? new CopyTextBuffer(this.capacity);
  }

  /** Starts writing `batch` once a slot is free; `then` runs after the write succeeds. */
  async write(batch: CopyTextBuffer, send: (payload: Buffer) => Promise<unknown>, then?: () => Promise<void>): Promise<void> {
    if (this.inflight.length >= 2) await this.inflight.shift();
    const done = send(batch.payload())
      .finally(() => {
        batch.clear();
        this.spare.push(batch);
      })
      .then(() => then?.());
    done.catch(() => {});
    this.inflight.push(done);
  }

  /** Waits for every write; throws the first failure. */
  async drain(): Promise<void> {
    await Promise.all(this.inflight.splice(0));
  }

  /** Waits for every write, ignoring failures (the caller is already failing). */
  async settle(): Promise<void> {
    await Promise.allSettled(this.inflight.splice(0));
  }
}
