import { BulkReassembler, type Malformed } from "@cartback/core/catalog/bulk-reassembler";
import type { CatalogContext, ProductFacts, VariantFacts } from "@cartback/core/catalog/variant-row";
import type { Database, Db } from "@cartback/db";
import type { CatalogRow } from "@cartback/core/catalog/row";
import { type CopyTextBuffer, copyRows } from "./copy-rows.ts";
import { jsonlLines } from "./jsonl-lines.ts";
import { type Executor, ROWS_COPY, rowValues, type VersionTarget } from "./rows-sql.ts";
import { PRODUCT_PARTS, productParts, VARIANT_PARTS, variantParts } from "./row-parts.ts";
import { clearStaging, insertStagedRows } from "./staged-rows.ts";
import { WritePipeline } from "./write-pipeline.ts";

export type IngestResult =
  | { type: "ok"; objects: number; rows: number }
  | { type: "failed"; errorCode: IngestErrorCode; error: string };

export type IngestErrorCode = "RESULT_EXPIRED" | "RESULT_HTTP_ERROR" | "RESULT_INCOMPLETE" | "MALFORMED_LINE" | "ORPHANED_VARIANTS";

export interface IngestOptions {
  db: Executor & Pick<Db, "transaction">;
  driver: Database["kind"];
  target: VersionTarget;
  /** The sync the result belongs to: its spill-over is staged under this id. */
  syncId: string;
  context: CatalogContext;
  fetch?: typeof fetch;
  batchSize?: number;
  /** Products kept in memory (tests make it tiny to force spilling). */
  productWindow?: number;
  onProgress?: (progress: { processed: number; rows: number }) => Promise<void>;
}

type Failure = Extract<IngestResult, { type: "failed" }>;

/**
 * Rows a COPY carries. Each batch is a round trip and a wait for a pooled connection; on a
 * loaded machine (bench/catalog.ts, load 20+ on 2 cores) 1,000-row batches spent half the
 * sync's wall time on those: 100k variants took 14.5 s at 1,000 and 12.1 s at 4,000.
 * About 1.5 MB a batch (5,000 rows of 300 bytes), three batches filling and two in flight.
 */
const DEFAULT_BATCH = 5000;

/**
 * …or this many bytes of COPY text, whichever comes first, so that the batches' memory is
 * bounded in bytes whatever the rows hold (5,000 rows of long titles and URLs would otherwise
 * grow each of the five or six buffers without limit). Ordinary rows (about 300 bytes) reach
 * 5,000 first: a 1 MB cap made a 1M sync 33-36 s instead of 24 s (load 3-6, 2026-12-06).
 * Batches are checked once per network chunk, so one may pass this by a chunk's rows; the
 * slack below keeps it from growing then.
 */
const BATCH_BYTES = 2 * 1024 * 1024;
const BATCH_CAPACITY = BATCH_BYTES + 256 * 1024;

/**
 * Products kept in memory. A result whose variants follow their product closely needs a few;
 * a shuffled one is served little better by 20,000 (at 1M variants 90 % were spilled anyway)
 * while the window then was the one thing in memory that grew with the catalog. It is kept
 * small for V8's sake too: a product that lives through two young-generation collections is
 * promoted to old space, and garbage there grows the heap until a full collection.
 */
const DEFAULT_WINDOW = 100;

/** Rows, spilled products and spilled variants, each filled to a batch and written while the next ones fill. */
class Batches {
  readonly pipeline: WritePipeline;
  private rows: CopyTextBuffer;
  private products: CopyTextBuffer;
  private variants: CopyTextBuffer;
  written = 0;
  spilledVariants = 0;
  private seq = 0;

  constructor(private readonly options: IngestOptions, private readonly progress: () => { processed: number; rows: number }) {
    this.pipeline = new WritePipeline(BATCH_CAPACITY);
    this.rows = this.pipeline.batch();
    this.products = this.pipeline.batch();
    this.variants = this.pipeline.batch();
  }

  addRow(row: CatalogRow): void {
    this.rows.add(rowValues(this.options.target, row));
  }

  addProduct(product: ProductFacts): void {
    this.products.add(productParts(this.staging, this.seq++, product, this.options.context));
  }

  addVariant(parent: string, variant: VariantFacts): void {
    this.spilledVariants++;
    this.variants.add(variantParts(this.staging, this.seq++, parent, variant, this.options.context));
  }

  private get staging() {
    return { shop: this.options.target.shop, syncId: this.options.syncId };
  }

  /** Writes every batch that is full (`all`: every batch with anything in it). */
  async flush(all = false): Promise<void> {
    const size = this.options.batchSize ?? DEFAULT_BATCH;
    const ready = (batch: CopyTextBuffer) => (all ? batch.count > 0 : batch.count >= size || batch.byteLength >= BATCH_BYTES);
    const { db, driver } = this.options;
    const copy = (into: typeof ROWS_COPY) => (payload: Buffer) => copyRows(db, driver, into, payload);
    // What was stored, not what was sent: a variant listed twice is a row once.
    const copyCounted = (payload: Buffer) => copyRows(db, driver, ROWS_COPY, payload).then((stored) => {
      this.written += stored;
    });
    if (ready(this.products)) {
      const batch = this.products;
      this.products = this.pipeline.batch();
      await this.pipeline.write(batch, copy(PRODUCT_PARTS));
    }
    if (ready(this.variants)) {
      const batch = this.variants;
      this.variants = this.pipeline.batch();
      await this.pipeline.write(batch, copy(VARIANT_PARTS));
    }
    if (ready(this.rows)) {
      const batch = this.rows;
      this.rows = this.pipeline.batch();
      const progress = this.progress();
      // COPY: nothing else writes to a sync's version (webhooks note their products instead).
      await this.pipeline.write(batch, copyCounted, () => this.options.onProgress?.(progress) ?? Promise.resolve());
    }
  }
}

/**
 * Downloads a bulk result once and writes its rows into `target`, streaming: lines are parsed
 * as they arrive and written in batches while the next ones are parsed. Shopify no longer
 * writes children next to their parent, so the reassembler keeps a small window of products;
 * what falls outside it is staged in the database as the parts of rows, and PostgreSQL builds
 * those rows once the file is read. Memory is bounded by the window and the batches, never by
 * the catalog or its order.
 */
export async function ingestBulkResult(url: string, options: IngestOptions): Promise<IngestResult> {
  let batches: Batches;
  const assembler = new BulkReassembler(options.context, {
    row: (row) => batches.addRow(row),
    spillProduct: (product) => batches.addProduct(product),
    spillVariant: (parent, variant) => batches.addVariant(parent, variant),
  }, options.productWindow ?? DEFAULT_WINDOW);
  batches = new Batches(options, () => ({ processed: assembler.objects, rows: assembler.rows }));
  const { db, target, syncId } = options;
  try {
    const read = await readResult(url, options, (text, line) => assembler.pushLine(text, line), () => batches.flush());
    if (read.type === "failed") return read;
    assembler.finish();
    await batches.flush(true);
    await batches.pipeline.drain();
    const orphans = assembler.spilled ? await joinSpilled(options, batches) : 0;
    if (orphans > 0) {
      return { type: "failed", errorCode: "ORPHANED_VARIANTS", error: `${orphans} variants reference products missing from the result` };
    }
    return { type: "ok", objects: assembler.objects, rows: batches.written };
  } finally {
    await batches.pipeline.settle();
    await clearStaging(db, target.shop, syncId).catch(() => {});
  }
}

/** Rows for the spilled variants, built in the database; returns how many had no product. */
async function joinSpilled(options: IngestOptions, batches: Batches): Promise<number> {
  const staging = { shop: options.target.shop, syncId: options.syncId };
  const built = await insertStagedRows(options.db, options.driver, options.target, staging, options.context.currency, batches.spilledVariants);
  batches.written += built.rows;
  return built.orphans;
}

/** The download of the result, every line fed in order; `afterChunk` may wait (backpressure). */
async function readResult(
  url: string,
  options: Pick<IngestOptions, "fetch">,
  feed: (text: string, line: number) => Malformed | null,
  afterChunk: () => Promise<void>,
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
  try {
    for await (const chunk of jsonlLines(response.body as unknown as AsyncIterable<Uint8Array>)) {
      for (const { line, text } of chunk) {
        lines = line;
        const malformed = feed(text, line);
        if (malformed) {
          await response.body.cancel().catch(() => {});
          return { type: "failed", errorCode: "MALFORMED_LINE", error: `line ${malformed.line} of the bulk result: ${malformed.reason}` };
        }
      }
      await afterChunk();
    }
  } catch (error) {
    return { type: "failed", errorCode: "RESULT_INCOMPLETE", error: `the download broke off after line ${lines}: ${message(error)}` };
  }
  return { type: "ok", lines };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
