import type { ServerResponse } from "node:http";
import { objectCount, productFields, type FakeProduct } from "./store.ts";

export type BulkStatus = "CREATED" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELED" | "EXPIRED";

export interface BulkOperation {
  id: string;
  status: BulkStatus;
  errorCode: string | null;
  createdAt: string;
  completedAt: string | null;
  objectCount: string;
  fileSize: string | null;
  url: string | null;
  partialDataUrl: string | null;
  query: string;
  polls: number;
  /** The result as Shopify would have written it, fixed at completion. */
  lines?: string[];
}

/** How the next bulk operations misbehave, set by tests through `state.bulkFaults`. */
export interface BulkFaults {
  /** The operation ends FAILED with this code (ACCESS_DENIED, INTERNAL_SERVER_ERROR, TIMEOUT). */
  errorCode?: string;
  /** With errorCode: a partialDataUrl is offered holding the first half of the objects. */
  partial?: boolean;
  /** Result URLs answer 403 "Request has expired", as Shopify's storage does after 7 days. */
  expired?: boolean;
  /** Line (1-based) replaced by broken JSON. */
  malformedLine?: number;
  /** The download is cut after this many lines (connection reset). */
  abortAfterLines?: number;
}

export type LineOrder = "parents-first" | "children-first" | "shuffled";

export function bulkOperationJson(op: BulkOperation) {
  const { query: _query, polls: _polls, lines: _lines, ...visible } = op;
  return { ...visible, type: "QUERY" };
}

export function newBulkOperation(id: number, query: string, now: Date): BulkOperation {
  return {
    id: `gid://shopify/BulkOperation/${id}`,
    status: "CREATED",
    errorCode: null,
    createdAt: now.toISOString(),
    completedAt: null,
    objectCount: "0",
    fileSize: null,
    url: null,
    partialDataUrl: null,
    query,
    polls: 0,
  };
}

export function completeBulkOperation(op: BulkOperation, products: FakeProduct[], origin: string, faults: BulkFaults, now: Date, order: LineOrder, seed: number): void {
  const count = objectCount(products);
  op.lines = [...jsonlLines(products, order, seed)];
  op.completedAt = now.toISOString();
  const token = `${op.id.split("/").pop()}.jsonl?expires=${now.getTime() + 7 * 24 * 3600_000}`;
  if (faults.errorCode) {
    op.status = "FAILED";
    op.errorCode = faults.errorCode;
    op.objectCount = String(Math.floor(count / 2));
    op.partialDataUrl = faults.partial ? `${origin}/bulk-results/partial/${token}` : null;
    return;
  }
  op.status = "COMPLETED";
  op.objectCount = String(count);
  op.url = count === 0 ? null : `${origin}/bulk-results/${token}`;
}

/** Products then their variants as separate lines, each child carrying `__parentId`. */
function* jsonlLines(products: FakeProduct[], order: LineOrder, seed: number): Generator<string> {
  const productLine = (p: FakeProduct) => JSON.stringify(productFields(p));
  const variantLines = (p: FakeProduct) => p.variants.map((v) => JSON.stringify({
    id: `gid://shopify/ProductVariant/${v.id}`,
    title: v.title,
    sku: v.sku,
    price: v.price,
    compareAtPrice: v.compareAtPrice,
    inventoryQuantity: v.inventoryQuantity,
    availableForSale: v.availableForSale,
    image: v.imageUrl ? { url: v.imageUrl } : null,
    updatedAt: v.updatedAt,
    __parentId: `gid://shopify/Product/${p.id}`,
  }));
  if (order === "shuffled") {
    const all = products.flatMap((p) => [productLine(p), ...variantLines(p)]);
    let s = seed || 1;
    for (let i = all.length - 1; i > 0; i--) {
      s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
      const j = s % (i + 1);
      [all[i], all[j]] = [all[j]!, all[i]!];
    }
    yield* all;
    return;
  }
  for (const p of products) {
    if (order === "children-first") yield* variantLines(p);
    yield productLine(p);
    if (order === "parents-first") yield* variantLines(p);
  }
}

/** Streams the result with backpressure; never builds the whole file. */
export async function serveJsonl(
  res: ServerResponse,
  lines: string[],
  options: { faults: BulkFaults; limit?: number },
): Promise<void> {
  res.writeHead(200, { "content-type": "application/jsonl" });
  let n = 0;
  let chunk = "";
  for (const line of lines) {
    n++;
    if (options.limit !== undefined && n > options.limit) break;
    if (options.faults.abortAfterLines !== undefined && n > options.faults.abortAfterLines) {
      res.write(chunk);
      await new Promise((resolve) => setTimeout(resolve, 5));
      res.destroy();
      return;
    }
    chunk += `${options.faults.malformedLine === n ? '{"id": "gid://shopify/Product/1", "title": ' : line}\n`;
    if (chunk.length > 256 * 1024) {
      const ok = res.write(chunk);
      chunk = "";
      if (!ok) await new Promise((resolve) => res.once("drain", resolve));
    }
  }
  res.end(chunk);
}
