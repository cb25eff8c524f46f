import { gidType, numericId } from "./ids.ts";
import { ProductWindow } from "./product-window.ts";
import type { CatalogRow } from "./row.ts";
import { type CatalogContext, type ProductFacts, type VariantFacts, variantRow } from "./variant-row.ts";

/**
 * Rebuilds catalog rows from a bulk operation's JSONL, one line at a time. Since API
 * 2026-01 children need not follow their parent (groupObjects is off). Only a bounded window
 * of the most recent products is kept (compact facts, never raw lines): a variant whose
 * product is in it becomes a row at once; otherwise it is spilled, and so is every product
 * pushed out of the window, for the caller to store and join later. Memory is the window's,
 * whatever the catalog's size or line order. Duplicate variants are left to the writer (the
 * sync's insert keeps the first), since remembering every id seen would grow with the catalog.
 */
export interface ReassemblySink {
  row(row: CatalogRow): void;
  spillProduct(product: ProductFacts): void;
  /** A variant whose product (numeric id `parent`) is not in the window. */
  spillVariant(parent: string, variant: VariantFacts): void;
}

export type Malformed = { type: "malformed"; line: number; reason: string };

/** Products kept in memory: about 0.5 KB each. */
export const DEFAULT_PRODUCT_WINDOW = 20_000;

export class BulkReassembler {
  private readonly window: ProductWindow;
  private variantsSpilled = 0;
  objects = 0;
  rows = 0;

  constructor(
    private readonly ctx: CatalogContext,
    private readonly sink: ReassemblySink,
    windowSize = DEFAULT_PRODUCT_WINDOW,
  ) {
    this.window = new ProductWindow(windowSize);
  }

  /** Parses and feeds one JSONL line (1-based `line` for error messages); null when fine. */
  pushLine(text: string, line: number): Malformed | null {
    if (text.length === 0 || (text.length < 3 && text.trim() === "")) return null;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return { type: "malformed", line, reason: "not valid JSON" };
    }
    return this.push(value, line);
  }

  push(value: unknown, line: number): Malformed | null {
    if (!isRecord(value) || typeof value.id !== "string") {
      return { type: "malformed", line, reason: "not an object with a string id" };
    }
    this.objects++;
    const kind = gidType(value.id);
    if (kind === "Product") return this.pushProduct(value, line);
    if (kind === "ProductVariant") return this.pushVariant(value, line);
    // Metafields, media, inventory levels…: not catalog columns.
    return null;
  }

  /** The end of the file: spilled variants may need products still in the window. */
  finish(): void {
    if (this.variantsSpilled === 0) return;
    this.window.drain((product) => this.sink.spillProduct(product));
  }

  /** Whether any variant was spilled (the caller then joins them to the spilled products). */
  get spilled(): boolean {
    return this.variantsSpilled > 0;
  }

  private pushProduct(value: Record<string, unknown>, line: number): Malformed | null {
    const product = productFacts(value);
    if (!product) return { type: "malformed", line, reason: "product without a title" };
    // The window drops the products read longest ago.
    const dropped = this.window.add(product);
    if (dropped) this.sink.spillProduct(dropped);
    return null;
  }

  private pushVariant(value: Record<string, unknown>, line: number): Malformed | null {
    const parent = numericId(value.__parentId ?? (isRecord(value.product) ? value.product.id : undefined));
    const variant = variantFacts(value);
    if (!parent || !variant) return { type: "malformed", line, reason: "variant without a product id" };
    const product = this.window.get(parent);
    if (product) {
      this.rows++;
      this.sink.row(variantRow(product, variant, this.ctx));
    } else {
      this.variantsSpilled++;
      this.sink.spillVariant(parent, variant);
    }
    return null;
  }
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
