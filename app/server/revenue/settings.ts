import { type Db, shops } from "@cartback/db";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { type FieldTable, merchantError } from "../../shared/merchant-text.ts";

const WINDOW = "a whole number of days from 1 to 30";

/** The Results page's fields by schema path, named as the page shows them. */
const REVENUE_FIELDS: FieldTable = [
  [/^attributionWindowDays$/, { input: "attributionWindowDays", label: "Attribution window" }],
  [/^clickTracking$/, { input: "clickTracking", label: "Click tracking" }],
];

/** Per-shop tracking settings, kept under `shops.settings.revenue`. */
export const RevenueSettings = z.object({
  /** Rewrite the email's links to the shop through the click redirect (the restore link always is). */
  clickTracking: z.boolean().default(true),
  /** How long after a click an order still counts as recovered by that email. */
  attributionWindowDays: z.number({ error: WINDOW }).int({ error: WINDOW }).min(1, { error: WINDOW }).max(30, { error: WINDOW }).default(5),
});
export type RevenueSettings = z.infer<typeof RevenueSettings>;

export const DAY_MS = 24 * 60 * 60 * 1000;

export function revenueSettingsOf(settings: Record<string, unknown> | null | undefined): RevenueSettings {
  const parsed = RevenueSettings.safeParse(settings?.revenue ?? {});
  return parsed.success ? parsed.data : RevenueSettings.parse({});
}

export async function readRevenueSettings(db: Db, shop: string): Promise<RevenueSettings> {
  const [row] = await db.select({ settings: shops.settings }).from(shops).where(eq(shops.shop, shop));
  return revenueSettingsOf(row?.settings);
}

export type RevenueSettingsSave = { type: "saved"; settings: RevenueSettings } | { type: "invalid"; field: string; message: string } | { type: "unknown_shop" };

/** Validates the whole patch first: a bad field saves nothing. */
export async function saveRevenueSettings(db: Db, shop: string, patch: unknown): Promise<RevenueSettingsSave> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select({ settings: shops.settings }).from(shops).where(eq(shops.shop, shop)).for("update");
    if (!row) return { type: "unknown_shop" } as const;
    const merged = RevenueSettings.safeParse({ ...revenueSettingsOf(row.settings), ...(typeof patch === "object" && patch ? patch : {}) });
    if (!merged.success) {
      const issue = merged.error.issues[0]!;
      return { type: "invalid", ...merchantError(REVENUE_FIELDS, issue.path.join(".") || "revenue", issue.message) } as const;
    }
    await tx.update(shops).set({ settings: { ...row.settings, revenue: merged.data } }).where(eq(shops.shop, shop));
    return { type: "saved", settings: merged.data } as const;
  });
}
