import { gidType, numericId } from "./ids.ts";
import type { CatalogRow } from "./row.ts";
import { type CatalogContext, type ProductFacts, type VariantFacts, variantRow } from "./variant-row.ts";

/**
 * Rebuilds catalog rows from a bulk operation's JSONL, one line at a time. Since API
 * 2026-01 children need not follow their parent (groupObjects is off), so a variant whose
 * product has not been seen yet waits in `pending` until it arrives. Only compact facts are
 * kept, never the raw lines, so memory grows with the product count, not the file.
 */
export type PushResult =
  | { type: "rows"; rows: CatalogRow[] }
  | { type: "malformed"; line: number; reason: string };

export class BulkReassembler {
  private readonly products = new Map<string, ProductFacts>();
  private readonly pending = new Map<string, VariantFacts[]>();
  /** Variant ids as numbers where exact (all real ones): a string id would keep its whole GID alive. */
  private readonly seenVariants = new Set<number | string>();
  objects = 0;
  rows = 0;

  constructor(private readonly ctx: CatalogContext) {}

  /** Parses and feeds one JSONL line (1-based `line` for error messages). */
  pushLine(text: string, line: number): PushResult {
    if (text.length === 0 || (text.length < 3 && text.trim() === "")) return { type: "rows", rows: [] };
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return { type: "malformed", line, reason: "not valid JSON" };
    }
    return this.push(value, line);
  }

  push(value: unknown, line: number): PushResult {
    if (!isRecord(value) || typeof value.id !== "string") {
      return { type: "malformed", line, reason: "not an object with a string id" };
    }
    this.objects++;
    const kind = gidType(value.id);
    if (kind === "Product") return this.pushProduct(value, line);
    if (kind === "ProductVariant") return this.pushVariant(value, line);
    // Metafields, media, inventory levels…: not catalog columns.
    return { type: "rows", rows: [] };
  }

  /** Whether the product a `__parentId` names has been read, so its children can become rows now. */
  hasProduct(parentGid: string): boolean {
    if (gidType(parentGid) !== "Product") return false;
    const id = numericId(parentGid);
    return id !== null && this.products.has(id);
  }

  /** Variants whose product never appeared: the result was cut short or inconsistent. */
  orphanCount(): number {
    let count = 0;
    for (const list of this.pending.values()) count += list.length;
    return count;
  }

  private pushProduct(value: Record<string, unknown>, line: number): PushResult {
    const product = productFacts(value);
    if (!product) return { type: "malformed", line, reason: "product without a title" };
    this.products.set(product.id, product);
    const waiting = this.pending.get(product.id);
    if (!waiting) return { type: "rows", rows: [] };
    this.pending.delete(product.id);
    return { type: "rows", rows: waiting.map((variant) => this.row(product, variant)) };
  }

  private pushVariant(value: Record<string, unknown>, line: number): PushResult {
    const parent = numericId(value.__parentId ?? (isRecord(value.product) ? value.product.id : undefined));
    const variant = variantFacts(value);
    if (!parent || !variant) return { type: "malformed", line, reason: "variant without a product id" };
    const key = compactId(variant.id);
    if (this.seenVariants.has(key)) return { type: "rows", rows: [] };
    this.seenVariants.add(key);
    const product = this.products.get(parent);
    if (product) return { type: "rows", rows: [this.row(product, variant)] };
    const list = this.pending.get(parent);
    if (list) list.push(variant);
    else this.pending.set(parent, [variant]);
    return { type: "rows", rows: [] };
  }

  private row(product: ProductFacts, variant: VariantFacts): CatalogRow {
    this.rows++;
    return variantRow(product, variant, this.ctx);
  }
}

function compactId(digits: string): number | string {
  const n = Number(digits);
  return Number.isSafeInteger(n) && String(n) === digits ? n : digits;
}

function productFacts(v: Record<string, unknown>): ProductFacts | null {
  const id = numericId(v.id);
  if (!id || typeof v.title !== "string") return null;
  return {
    id,
    title: v.title,
    handle: str(v.handle),
    vendor: str(v.vendor),
    productType: str(v.productType),
    status: str(v.status)?.toUpperCase() ?? null,
    updatedAt: str(v.updatedAt),
    onlineStoreUrl: str(v.onlineStoreUrl),
    featuredImageUrl: imageUrl(isRecord(v.featuredMedia) ? v.featuredMedia.preview : undefined) ?? imageUrl(v.featuredImage),
  };
}

function variantFacts(v: Record<string, unknown>): VariantFacts | null {
  const id = numericId(v.id);
  if (!id) return null;
  return {
    id,
    title: str(v.title),
    sku: str(v.sku),
    price: moneyText(v.price),
    compareAtPrice: moneyText(v.compareAtPrice),
    inventoryQuantity: typeof v.inventoryQuantity === "number" ? v.inventoryQuantity : null,
    availableForSale: typeof v.availableForSale === "boolean" ? v.availableForSale : null,
    inventoryPolicy: str(v.inventoryPolicy),
    imageUrl: imageUrl(v.image),
    updatedAt: str(v.updatedAt),
  };
}

/** Image objects differ by API version: `url` now, `src`/`originalSrc` in older captures. */
export function imageUrl(value: unknown): string | null {
  if (!isRecord(value)) return null;
  if (isRecord(value.image)) return imageUrl(value.image);
  return str(value.url) ?? str(value.src) ?? str(value.originalSrc) ?? str(value.transformedSrc);
}

/** Money is a decimal string, or a MoneyV2 `{ amount }` in newer selections. */
function moneyText(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  if (isRecord(value)) return moneyText(value.amount);
  return null;
}

function str(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
