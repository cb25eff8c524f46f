import { type Db, revenueOrders, revenueRefunds } from "@cartback/db";
import { and, eq, sql } from "drizzle-orm";

export interface Refund {
  refundId: string;
  orderId: string;
  amountMinor: number;
  currency: string | null;
  at: Date;
}

export type RefundsParse = { type: "ok"; refunds: Refund[] } | { type: "invalid"; field: string; reason: string };

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : {});
const id = (v: unknown): string | null => (typeof v === "string" && /^\d+$/.test(v) ? v : typeof v === "number" && Number.isSafeInteger(v) && v > 0 ? String(v) : null);

/** ISO 4217 minor digits as the runtime knows them (JPY 0, USD 2, KWD 3). */
function minorDigits(currency: string | null): number {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency: currency ?? "USD" }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** "12.30" → 1230 for USD, exactly (no float arithmetic). Null for anything but a decimal. */
export function decimalToMinor(amount: unknown, currency: string | null): number | null {
  const text = typeof amount === "number" ? String(amount) : amount;
  if (typeof text !== "string" || !/^\d{1,13}(\.\d+)?$/.test(text)) return null;
  const digits = minorDigits(currency);
  const [whole, fraction = ""] = text.split(".");
  const padded = (fraction + "0".repeat(digits)).slice(0, digits);
  return Number(whole) * 10 ** digits + Number(padded || "0");
}

/** A refund's money back to the customer: its successful refund transactions (in shop money when given). */
function refundAmount(refund: Json): { amountMinor: number; currency: string | null } {
  let total = 0;
  let currency: string | null = null;
  for (const raw of Array.isArray(refund.transactions) ? refund.transactions : []) {
    const t = obj(raw);
    if (t.kind !== "refund" || (t.status !== undefined && t.status !== "success")) continue;
    const shopMoney = obj(obj(t.amount_set).shop_money);
    currency = typeof shopMoney.currency_code === "string" ? shopMoney.currency_code : typeof t.currency === "string" ? t.currency : currency;
    total += decimalToMinor(shopMoney.amount ?? t.amount, currency) ?? 0;
  }
  return { amountMinor: total, currency };
}

/** refunds/create is one refund; orders/updated carries the order's `refunds` array. */
export function parseRefunds(topic: string, payload: unknown): RefundsParse {
  const body = obj(payload);
  const list = topic === "refunds/create" ? [body] : Array.isArray(body.refunds) ? body.refunds.map(obj) : [];
  const out: Refund[] = [];
  for (const [i, refund] of list.entries()) {
    const field = topic === "refunds/create" ? "" : `refunds.${i}.`;
    const refundId = id(refund.id);
    const orderId = id(refund.order_id) ?? (topic === "orders/updated" ? id(body.id) : null);
    if (!refundId) return { type: "invalid", field: `${field}id`, reason: "a refund needs its id" };
    if (!orderId) return { type: "invalid", field: `${field}order_id`, reason: "a refund needs its order_id" };
    const at = new Date(typeof refund.created_at === "string" ? refund.created_at : Number.NaN);
    out.push({ refundId, orderId, ...refundAmount(refund), at: Number.isNaN(at.getTime()) ? new Date() : at });
  }
  return { type: "ok", refunds: out };
}

/**
 * Stores refunds by Shopify's id (a refund seen in refunds/create and again in every later
 * orders/updated counts once) and nets them into their order's row, if Cartback has it.
 */
export async function recordRefunds(db: Db, shop: string, refunds: Refund[]): Promise<number> {
  if (refunds.length === 0) return 0;
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(revenueRefunds)
      .values(refunds.map((r) => ({ shop, ...r })))
      .onConflictDoNothing()
      .returning({ orderId: revenueRefunds.orderId });
    for (const orderId of new Set(refunds.map((r) => r.orderId))) await netRefunds(tx, shop, orderId);
    return inserted.length;
  });
}

/** The order's refunded total from its stored refunds: also run when the order arrives after its refund. */
export async function netRefunds(tx: Db, shop: string, orderId: string): Promise<void> {
  await tx
    .update(revenueOrders)
    .set({ refundedMinor: sql`(select coalesce(sum(${revenueRefunds.amountMinor}), 0) from ${revenueRefunds} where ${revenueRefunds.shop} = ${shop} and ${revenueRefunds.orderId} = ${orderId})` })
    .where(and(eq(revenueOrders.shop, shop), eq(revenueOrders.orderId, orderId)));
}
