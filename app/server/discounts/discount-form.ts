import { StepDiscount } from "@cartback/core/campaign/discount";
import { campaignSends, type Db } from "@cartback/db";
import { and, desc, eq, gte, sql } from "drizzle-orm";
import { saveStepPart } from "../campaigns/step-form.ts";
import type { Runtime } from "../runtime.ts";
import { parseToggle } from "../settings/settings-form.ts";
import { DISCOUNT_FAILURE_TEXT, type DiscountFailure } from "./issue.ts";

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * The Campaigns page's discount form of one step (app/components/campaigns/DiscountFields.tsx):
 * `discount-kind` none | percentage | fixed_amount, `discount-value` (10 for 10 %, 5.00 for an
 * amount), `discount-days`, `discount-once` on/off. Errors name the input as
 * `steps.<i>.discount.<input>`, which is where the step's fields look for them.
 */
export type DiscountFormResult =
  | { type: "saved"; campaignId: string }
  | { type: "invalid"; field: string; message: string }
  | { type: "not_found"; field: string; message: string };

const text = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value.trim() : "";
};

export function parseDiscountFields(form: FormData, step: number): { type: "ok"; discount: StepDiscount | null } | Extract<DiscountFormResult, { type: "invalid" }> {
  const field = (name: string) => `steps.${step}.discount.${name}`;
  const kind = text(form, "discount-kind") || "none";
  if (kind === "none") return { type: "ok", discount: null };
  if (kind !== "percentage" && kind !== "fixed_amount") return { type: "invalid", field: field("kind"), message: "Discount must be none, a percentage or a fixed amount" };
  const value = text(form, "discount-value");
  const days = text(form, "discount-days") || "7";
  if (!/^\d{1,3}$/.test(days)) return { type: "invalid", field: field("days"), message: "Expires after must be a whole number of days from 1 to 365" };
  const once = parseToggle(form.get("discount-once") ?? "on");
  if (once.type !== "set") return { type: "invalid", field: field("once"), message: "Once per customer must be on or off" };
  if (kind === "percentage" && !/^\d{1,3}$/.test(value)) return { type: "invalid", field: field("value"), message: "Percentage must be a whole number from 1 to 100" };
  const input = kind === "percentage" ? { kind, percent: Number(value) } : { kind, amount: value };
  const parsed = StepDiscount.safeParse({ ...input, expiresAfterDays: Number(days), oncePerCustomer: once.on });
  if (parsed.success) return { type: "ok", discount: parsed.data };
  const issue = parsed.error.issues[0];
  const at = String(issue?.path[0] ?? "value");
  const name = at === "expiresAfterDays" ? "days" : at === "oncePerCustomer" ? "once" : "value";
  const label = { days: "Expires after (days)", once: "Once per customer", value: kind === "percentage" ? "Percentage" : "Amount" }[name];
  return { type: "invalid", field: field(name), message: `${label}: ${issue?.message ?? "invalid"}` };
}

/** Saves one step's discount (none removes it); the rest of the campaign stays as it was. */
export async function saveStepDiscount(runtime: Runtime, shop: string, form: FormData): Promise<DiscountFormResult> {
  const result = await saveStepPart(runtime, shop, form, (f, step) => {
    const parsed = parseDiscountFields(f, step);
    return parsed.type === "ok" ? { type: "ok", patch: { discount: parsed.discount } } : parsed;
  });
  return result.type === "invalid" ? { type: "invalid", field: result.field, message: result.message } : result;
}

/** The latest email of each campaign sent without its code, and why: shown beside the discount fields. */
export async function lastDiscountFailures(db: Db, shop: string, now: Date): Promise<Record<string, { at: string; why: string }>> {
  const rows = await db
    .selectDistinctOn([campaignSends.campaignId], { campaignId: campaignSends.campaignId, at: campaignSends.createdAt, discount: campaignSends.discount })
    .from(campaignSends)
    // The past week, through campaign_sends_shop (shop, created_at): what the merchant needs to fix now.
    .where(and(eq(campaignSends.shop, shop), gte(campaignSends.createdAt, new Date(now.getTime() - WEEK_MS)), sql`${campaignSends.discount}->>'status' = 'failed'`))
    .orderBy(campaignSends.campaignId, desc(campaignSends.createdAt));
  return Object.fromEntries(rows.map((r) => {
    const d = (r.discount ?? {}) as { reason?: DiscountFailure; detail?: string };
    return [r.campaignId, { at: r.at.toISOString(), why: `${DISCOUNT_FAILURE_TEXT[d.reason ?? "admin_error"] ?? d.reason}${d.detail ? ` (${d.detail})` : ""}` }];
  }));
}
