import type { Db } from "@cartback/db";
import { shops } from "@cartback/db";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { SenderSettings } from "../campaigns/shop-context.ts";
import { storedFacts } from "../shops/shop-facts.ts";

const timeZone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, "an IANA time zone like Europe/Paris");

// One schema for the sender, shared with the campaign engine that reads it; a blank form
// field means "not set" (null), so the shop's name and MAIL_FROM apply.
const blankToNull = (value: unknown) => (typeof value === "string" && value.trim() === "" ? null : value);
const SenderInput = z.object({
  fromName: z.preprocess(blankToNull, SenderSettings.shape.fromName),
  fromAddress: z.preprocess(blankToNull, SenderSettings.shape.fromAddress),
  replyTo: z.preprocess(blankToNull, SenderSettings.shape.replyTo),
});

export const ShopSettingsInput = z.object({
  cartTrackingEnabled: z.boolean(),
  timezone: timeZone,
  sender: SenderInput,
});
export type ShopSettingsInput = z.infer<typeof ShopSettingsInput>;

export interface ShopSettings extends ShopSettingsInput {
  shop: string;
  catalogSyncEnabled: boolean;
  /** Read-only: the store's contact email from Shopify, the sender when none is set here (nor MAIL_FROM). */
  storeContactEmail: string | null;
}

export async function readShopSettings(db: Db, shop: string): Promise<ShopSettings | null> {
  const [row] = await db.select().from(shops).where(eq(shops.shop, shop));
  if (!row) return null;
  const sender = SenderSettings.safeParse(row.settings.sender ?? {});
  return {
    shop,
    cartTrackingEnabled: row.cartTrackingEnabled,
    catalogSyncEnabled: row.catalogSyncEnabled,
    storeContactEmail: storedFacts(row.settings)?.contactEmail ?? null,
    timezone: row.timezone,
    sender: sender.success ? sender.data : SenderSettings.parse({}),
  };
}

export type SaveResult = { type: "saved" } | { type: "invalid"; field: string; message: string } | { type: "unknown_shop" };

/** Validates everything before writing anything: a bad field saves nothing. */
export async function saveShopSettings(db: Db, shop: string, input: unknown): Promise<SaveResult> {
  const parsed = ShopSettingsInput.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { type: "invalid", field: issue.path.join("."), message: issue.message };
  }
  const { cartTrackingEnabled, timezone, sender } = parsed.data;
  return db.transaction(async (tx) => {
    const [row] = await tx.select({ settings: shops.settings }).from(shops).where(eq(shops.shop, shop)).for("update");
    if (!row) return { type: "unknown_shop" } as const;
    await tx
      .update(shops)
      .set({ cartTrackingEnabled, timezone, settings: { ...row.settings, sender } })
      .where(eq(shops.shop, shop));
    return { type: "saved" } as const;
  });
}
