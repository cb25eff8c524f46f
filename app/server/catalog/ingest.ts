import { BulkReassembler, type PushResult } from "@cartback/core/catalog/bulk-reassembler";
import type { CatalogContext } from "@cartback/core/catalog/variant-row";
import type { Database } from "@cartback/db";
import { jsonlLines, LineSet } from "./jsonl-lines.ts";
import { type Executor, insertJsonRows, type VersionTarget } from "./rows-sql.ts";
import { WritePipeline } from "./write-pipeline.ts";

export type IngestResult =
  | { type: "ok"; objects: number; rows: number }
  | { type: "failed"; errorCode: IngestErrorCode; error: string };

export type IngestErrorCode = "RESULT_EXPIRED" | "RESULT_HTTP_ERROR" | "RESULT_INCOMPLETE" | "MALFORMED_LINE" | "ORPHANED_VARIANTS";

export interface IngestOptions {
  db: Executor;
  driver: Database["kind"];
  target: VersionTarget;
  context: CatalogContext;
  fetch?: typeof fetch;
  batchSize?: number;
  onProgress?: (progress: { processed: number; rows: number }) => Promise<void>;
}

type Failure = Extract<IngestResult, { type: "failed" }>;

const PARENT_KEY = '"__parentId":"';
type Feed = (text: string, line: number) => Failure | null;

/**
 * Downloads a bulk result and writes its rows into `target`, streaming: lines are parsed as
 * they arrive and written in batches while the next ones are parsed. Shopify no longer
 * writes children after their parent, so a child read before its parent is only noted (its
 * line number, one bit) and the result is read a second time for those lines once every
 * product is known: memory grows with the product count, never with the file or its order.
 */
export async function ingestBulkResult(url: string, options: IngestOptions): Promise<IngestResult> {
  const batchSize = options.batchSize ?? 1000;
  const pipeline = new WritePipeline(options.driver);
  const assembler = new BulkReassembler(options.context);
  const deferred = new LineSet();
  let waiting = 0;
  let rows = pipeline.batch();
  const writeRows = async () => {
    const batch = rows;
    rows = pipeline.batch();
    const progress = { processed: assembler.objects + waiting, rows: assembler.rows };
    // Plain inserts: nothing else writes to a sync's version (webhooks note their products instead).
    await pipeline.write(batch, (json) => insertJsonRows(options.db, options.target, json, "insert"), () => options.onProgress?.(progress) ?? Promise.resolve());
  };
  const take = (result: PushResult): Failure | null => {
    if (result.type === "malformed") return { type: "failed", errorCode: "MALFORMED_LINE", error: `line ${result.line} of the bulk result: ${result.reason}` };
    for (const row of result.rows) rows.add(row);
    return null;
  };
  const defer = (line: number) => {
    deferred.add(line);
    waiting++;
    return null;
  };
  const firstRead: Feed = (text, line) => {
    // A child whose parent is still unknown is deferred unparsed: the second read parses (and
    // validates) it. Only a top-level key can look like this, JSON strings escape their quotes;
    // a look-alike elsewhere in the line just defers it, which is always safe.
    const parentAt = text.lastIndexOf(PARENT_KEY);
    if (parentAt >= 0) {
      const start = parentAt + PARENT_KEY.length;
      const end = text.indexOf('"', start);
      if (end > start && !assembler.hasProduct(text.slice(start, end))) return defer(line);
    }
    let value: unknown;
    try {
      value = text.length < 3 ? undefined : JSON.parse(text);
    } catch {
      value = undefined;
    }
    // Blank and broken lines: the reassembler says what is wrong with them.
    if (!isRecord(value)) return take(assembler.pushLine(text, line));
    const parent = value.__parentId;
    if (typeof parent === "string" && !assembler.hasProduct(parent)) return defer(line);
    return take(assembler.push(value, line));
  };
  const secondRead: Feed = (text, line) => {
    waiting--;
    return take(assembler.pushLine(text, line));
  };

  try {
    const first = await readResult(url, options, () => true, firstRead, () => (rows.count >= batchSize ? writeRows() : undefined));
    if (first.type === "failed") return first;
    if (deferred.size > 0) {
      const second = await readResult(url, options, (line) => deferred.has(line), secondRead, () => (rows.count >= batchSize ? writeRows() : undefined));
      if (second.type === "failed") return second;
      if (second.lines !== first.lines) {
        return { type: "failed", errorCode: "RESULT_INCOMPLETE", error: `the second read of the result had ${second.lines} lines, the first ${first.lines}` };
      }
    }
    await writeRows();
    await pipeline.drain();
  } finally {
    await pipeline.settle();
  }
  const orphans = assembler.orphanCount();
  if (orphans > 0) {
    return { type: "failed", errorCode: "ORPHANED_VARIANTS", error: `${orphans} variants reference products missing from the result` };
  }
  return { type: "ok", objects: assembler.objects, rows: assembler.rows };
}

/** One download of the result, `wanted` lines fed in order; `afterChunk` may wait (backpressure). */
async function readResult(
  url: string,
  options: Pick<IngestOptions, "fetch">,
  wanted: (line: number) => boolean,
  feed: Feed,
  afterChunk: () => Promise<void> | undefined,
): Promise<{ type: "ok"; lines: number } | Failure> {
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
  let lines = 0;
  const counted = (line: number) => {
    lines = line;
    return wanted(line);
  };
  try {
    for await (const chunk of jsonlLines(response.body as unknown as AsyncIterable<Uint8Array>, counted)) {
      for (const { line, text } of chunk) {
        const failure = feed(text, line);
        if (failure) {
          await response.body.cancel().catch(() => {});
          return failure;
        }
      }
      await afterChunk();
    }
  } catch (error) {
    return { type: "failed", errorCode: "RESULT_INCOMPLETE", error: `the download broke off after line ${lines}: ${message(error)}` };
  }
  return { type: "ok", lines };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
