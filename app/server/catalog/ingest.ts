import { BulkReassembler } from "@cartback/core/catalog/bulk-reassembler";
import type { CatalogContext } from "@cartback/core/catalog/variant-row";
import type { Database } from "@cartback/db";
import { JsonRowBuffer } from "./json-rows.ts";
import { type Executor, insertJsonRows, type VersionTarget } from "./rows-sql.ts";

export type IngestResult =
  | { type: "ok"; objects: number; rows: number }
  | { type: "failed"; errorCode: IngestErrorCode; error: string };

export type IngestErrorCode = "RESULT_EXPIRED" | "RESULT_HTTP_ERROR" | "RESULT_INCOMPLETE" | "MALFORMED_LINE" | "ORPHANED_VARIANTS";

export interface IngestOptions {
  db: Executor;
  /** PGlite takes a batch as text; the pg driver sends the Buffer's bytes as they are. */
  driver: Database["kind"];
  target: VersionTarget;
  context: CatalogContext;
  fetch?: typeof fetch;
  batchSize?: number;
  onProgress?: (progress: { processed: number; rows: number }) => Promise<void>;
}

/**
 * Downloads a bulk result and writes its rows into `target`, streaming: lines are parsed as
 * they arrive and written in batches, one batch in flight while the next one is parsed.
 */
export async function ingestBulkResult(url: string, options: IngestOptions): Promise<IngestResult> {
  const batchSize = options.batchSize ?? 1000;
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url);
  } catch (error) {
    return { type: "failed", errorCode: "RESULT_INCOMPLETE", error: `download failed: ${message(error)}` };
  }
  if (response.status === 403 || response.status === 410) {
    await response.body?.cancel();
    return { type: "failed", errorCode: "RESULT_EXPIRED", error: `the result URL was refused (HTTP ${response.status}); it expires 7 days after the operation` };
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    return { type: "failed", errorCode: "RESULT_HTTP_ERROR", error: `the result download answered HTTP ${response.status}` };
  }

  const assembler = new BulkReassembler(options.context);
  let batch = new JsonRowBuffer();
  const spare: JsonRowBuffer[] = [];
  // Two batches in flight on two connections: PostgreSQL works on both while we parse.
  const inflight: Promise<void>[] = [];
  const settle = () => Promise.allSettled(inflight);
  let lineNumber = 0;
  const flush = async () => {
    if (inflight.length >= 2) await inflight.shift();
    const full = batch;
    batch = spare.pop() ?? new JsonRowBuffer();
    const processed = assembler.objects;
    const written = assembler.rows;
    const rows = full.count === 0 ? null : options.driver === "pglite" ? full.payload().toString("utf8") : full.payload();
    // Plain inserts: nothing else writes to a sync's version (webhooks note their products instead).
    const write = (rows === null ? Promise.resolve() : insertJsonRows(options.db, options.target, rows, "insert"))
      .finally(() => {
        full.clear();
        spare.push(full);
      })
      .then(() => options.onProgress?.({ processed, rows: written }));
    write.catch(() => {});
    inflight.push(write);
  };
  const feed = (line: string): IngestResult | null => {
    lineNumber++;
    const result = assembler.pushLine(line, lineNumber);
    if (result.type === "malformed") {
      return { type: "failed", errorCode: "MALFORMED_LINE", error: `line ${result.line} of the bulk result: ${result.reason}` };
    }
    for (const row of result.rows) batch.add(row);
    return null;
  };

  try {
    for await (const line of jsonlLines(response.body as unknown as AsyncIterable<Uint8Array>)) {
      const failure = feed(line);
      if (failure) {
        await settle();
        await response.body.cancel().catch(() => {});
        return failure;
      }
      if (batch.count >= batchSize) await flush();
    }
  } catch (error) {
    await settle();
    return { type: "failed", errorCode: "RESULT_INCOMPLETE", error: `the download broke off after line ${lineNumber}: ${message(error)}` };
  }
  await flush();
  await Promise.all(inflight);
  const orphans = assembler.orphanCount();
  if (orphans > 0) {
    return { type: "failed", errorCode: "ORPHANED_VARIANTS", error: `${orphans} variants reference products missing from the result` };
  }
  return { type: "ok", objects: assembler.objects, rows: assembler.rows };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Lines decoded one by one from the bytes. Splitting a decoded chunk instead would hand out
 * slices of the chunk's string, and every value JSON.parse takes from a line would then keep
 * the whole 64 KB chunk alive: the products held for reassembly would pin the entire file.
 */
async function* jsonlLines(body: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  let carry: Buffer | null = null;
  for await (const chunk of body) {
    const data: Buffer = carry ? Buffer.concat([carry, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    carry = null;
    let start = 0;
    for (let end = data.indexOf(10, start); end !== -1; end = data.indexOf(10, start)) {
      if (end > start) yield data.toString("utf8", start, end);
      start = end + 1;
    }
    if (start < data.length) carry = Buffer.from(data.subarray(start));
  }
  // A last line without its newline is normal; a cut one fails to parse and is reported.
  if (carry && carry.length > 0) yield carry.toString("utf8");
}
