import type { Database } from "@cartback/db";
import { JsonRowBuffer } from "./json-rows.ts";

/**
 * Batches written while the next ones are parsed: at most two writes in flight (each on its
 * own pool connection, so PostgreSQL works on both), their buffers reused once written.
 * Waiting for a slot is the backpressure that keeps the download from outrunning the writes.
 */
export class WritePipeline {
  private readonly inflight: Promise<void>[] = [];
  private readonly spare: JsonRowBuffer[] = [];

  constructor(private readonly driver: Database["kind"]) {}

  /** An empty batch to fill (a recycled one when there is one). */
  batch(): JsonRowBuffer {
    return this.spare.pop() ?? new JsonRowBuffer();
  }

  /** Starts writing `batch` once a slot is free; `then` runs after the write succeeds. */
  async write(batch: JsonRowBuffer, send: (json: string | Buffer) => Promise<void>, then?: () => Promise<void>): Promise<void> {
    if (this.inflight.length >= 2) await this.inflight.shift();
    // PGlite takes the json parameter as text only; the pg driver sends a Buffer's bytes as they are.
    const json = this.driver === "pglite" ? batch.payload().toString("utf8") : batch.payload();
    const done = send(json)
      .finally(() => {
        batch.clear();
        this.spare.push(batch);
      })
      .then(then);
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
