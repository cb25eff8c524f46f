import { discountCodeInput } from "@cartback/core/campaign/discount";
import { campaignSends } from "@cartback/db";
import { and, eq } from "drizzle-orm";
import type { SchedulerContext } from "../campaigns/context.ts";
import type { SendRow } from "../campaigns/persist-outcomes.ts";
import type { OutgoingMessage } from "../mail/message.ts";
import { DISCOUNT_FAILURE_TEXT, type DiscountCreation } from "./issue.ts";
import type { SendDiscount } from "./plan.ts";

export interface SettledMessage {
  message: OutgoingMessage;
  /** Why the email goes out without its code (the `sent` decision's reason and detail), or null. */
  withoutCode: { reason: string; detail: string } | null;
  /** The code the email carries (named in the `sent` decision), or null. */
  code: string | null;
}

export const DISCOUNT_NOT_ATTACHED = "discount_not_attached";

/**
 * Right before the transport: a planned code is created with the Admin API (the email is
 * certainly going out now: every rule was checked again), and the outcome is stored with the
 * send in one update, with the message that goes out. Whatever happens, the email is sent:
 * with the code, or without it and the reason on the timeline. A later attempt of the same
 * send (an SMTP retry) finds the outcome stored and asks Shopify nothing.
 */
export async function settleDiscount(ctx: SchedulerContext, send: SendRow): Promise<SettledMessage> {
  const message = send.message as unknown as OutgoingMessage;
  const planned = send.discount as SendDiscount | null;
  if (!planned) return { message, withoutCode: null, code: null };
  if (planned.status === "created") return { message, withoutCode: null, code: planned.code };
  if (planned.status === "failed") return { message, withoutCode: noteOf(planned), code: null };
  const title = `Cartback ${planned.code} (${planned.description})`;
  const creation: DiscountCreation = ctx.discounts
    ? await ctx.discounts.create(send.shop, discountCodeInput(planned.discount, planned.code, title, ctx.now()))
    : { type: "failed", reason: "not_installed", detail: "no Admin API for this store" };
  const { fallback, ...kept } = planned;
  if (creation.type === "failed") {
    const settled: SendDiscount = { ...kept, status: "failed", reason: creation.reason, detail: creation.detail };
    const sent = fallback ? { ...message, ...fallback } : message;
    await store(ctx, send, settled, sent, null);
    ctx.logger.info({ shop: send.shop, sendId: send.id, reason: creation.reason }, "discount code not created; sending without it");
    return { message: sent, withoutCode: noteOf(settled), code: null };
  }
  const settled: SendDiscount = { ...kept, status: "created", ...(creation.type === "created" ? { shopifyId: creation.id } : {}) };
  await store(ctx, send, settled, message, planned.code);
  return { message, withoutCode: null, code: planned.code };
}

function noteOf(discount: SendDiscount): { reason: string; detail: string } {
  const why = DISCOUNT_FAILURE_TEXT[discount.reason ?? "admin_error"];
  return { reason: DISCOUNT_NOT_ATTACHED, detail: `sent without discount code: ${why}${discount.detail ? ` (${discount.detail})` : ""}`.slice(0, 500) };
}

async function store(ctx: SchedulerContext, send: SendRow, discount: SendDiscount, message: OutgoingMessage, code: string | null) {
  await ctx.db
    .update(campaignSends)
    .set({ discount: discount as unknown as Record<string, unknown>, message: message as unknown as Record<string, unknown>, discountCode: code })
    .where(and(eq(campaignSends.shop, send.shop), eq(campaignSends.id, send.id)));
}
