import { type Db, shops } from "@cartback/db";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { mailAddressProblem } from "../mail/mail-address.ts";
import { forgetShop } from "./lookup.ts";

/**
 * What Cartback keeps of the store's own settings: read from the Admin API `shop` query at
 * start and from every `shop/update` webhook. Currency, money format and time zone decide how
 * emails show prices and when quiet hours apply; the contact email is the sender of last resort.
 */
export interface ShopFacts {
  name: string;
  contactEmail: string | null;
  currency: string;
  timezone: string;
  moneyFormat: string;
  moneyWithCurrencyFormat: string | null;
  /** When Shopify said this (the webhook's updated_at, or the time of the query): older news is ignored. */
  asOf: Date;
}

/** Kept under `shops.settings.shopify`; the other facts have columns of their own. */
const StoredFacts = z.object({
  contactEmail: z.string().nullable().default(null),
  moneyWithCurrencyFormat: z.string().nullable().default(null),
  timezone: z.string().optional(),
  asOf: z.string().optional(),
});
export type StoredFacts = z.infer<typeof StoredFacts>;

export function storedFacts(settings: Record<string, unknown> | null | undefined): StoredFacts | null {
  const parsed = StoredFacts.safeParse(settings?.shopify);
  return settings?.shopify !== undefined && parsed.success ? parsed.data : null;
}

const ianaZone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, "not an IANA time zone");

/** One schema for both spellings (GraphQL and the REST webhook body), applied after renaming. */
export const ShopFactsInput = z.object({
  name: z.string().trim().min(1),
  contactEmail: z.string().nullish().transform((value) => (value && mailAddressProblem(value) === null ? value : null)),
  currency: z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 code like EUR"),
  timezone: ianaZone,
  moneyFormat: z.string().min(1).max(200),
  moneyWithCurrencyFormat: z.string().min(1).max(200).nullish().transform((value) => value ?? null),
});

export type ShopFactsResult = { type: "ok"; facts: ShopFacts } | { type: "invalid"; field: string; message: string };

export function parseShopFacts(input: Record<string, unknown>, asOf: Date, names: Record<keyof z.input<typeof ShopFactsInput>, string>): ShopFactsResult {
  const parsed = ShopFactsInput.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path[0] ?? "body") as keyof typeof names;
    return { type: "invalid", field: names[key] ?? key, message: issue.message };
  }
  return { type: "ok", facts: { ...parsed.data, asOf } };
}

const REST_NAMES = {
  name: "name", contactEmail: "customer_email", currency: "currency", timezone: "iana_timezone",
  moneyFormat: "money_format", moneyWithCurrencyFormat: "money_with_currency_format",
};

/** The `shop/update` body (the REST Shop resource). An unusable updated_at counts as now. */
export function shopFactsFromWebhook(payload: unknown, receivedAt: Date): ShopFactsResult {
  if (typeof payload !== "object" || payload === null) return { type: "invalid", field: "body", message: "expected a shop object" };
  const p = payload as Record<string, unknown>;
  const updated = typeof p.updated_at === "string" ? Date.parse(p.updated_at) : Number.NaN;
  return parseShopFacts(
    {
      name: p.name,
      // GraphQL's contactEmail falls back to the owner's address the same way.
      contactEmail: p.customer_email ?? p.email,
      currency: p.currency,
      timezone: p.iana_timezone,
      moneyFormat: p.money_format,
      moneyWithCurrencyFormat: p.money_with_currency_format,
    },
    Number.isNaN(updated) ? receivedAt : new Date(updated),
    REST_NAMES,
  );
}

export type ApplyResult = { type: "applied"; timezoneFollowed: boolean } | { type: "stale" } | { type: "unknown_shop" };

/**
 * Writes the facts. The time zone follows the store unless the merchant chose another one in
 * Settings since Cartback last read it (the stored value then differs from the last one read).
 */
export async function applyShopFacts(db: Db, shop: string, facts: ShopFacts): Promise<ApplyResult> {
  const result = await db.transaction(async (tx): Promise<ApplyResult> => {
    const [row] = await tx.select({ timezone: shops.timezone, settings: shops.settings }).from(shops).where(eq(shops.shop, shop)).for("update");
    if (!row) return { type: "unknown_shop" };
    const previous = storedFacts(row.settings);
    if (previous?.asOf && Date.parse(previous.asOf) > facts.asOf.getTime()) return { type: "stale" };
    const followStore = !previous?.timezone || previous.timezone === row.timezone;
    const stored: StoredFacts = {
      contactEmail: facts.contactEmail,
      moneyWithCurrencyFormat: facts.moneyWithCurrencyFormat,
      timezone: facts.timezone,
      asOf: facts.asOf.toISOString(),
    };
    await tx
      .update(shops)
      .set({
        name: facts.name,
        currency: facts.currency,
        moneyFormat: facts.moneyFormat,
        ...(followStore ? { timezone: facts.timezone } : {}),
        settings: { ...row.settings, shopify: stored },
      })
      .where(eq(shops.shop, shop));
    return { type: "applied", timezoneFollowed: followStore };
  });
  forgetShop(db, shop);
  return result;
}
