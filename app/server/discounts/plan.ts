import { type StepDiscount, describeDiscount } from "@cartback/core/campaign/discount";
import { type ComposeInput, type ComposeResult, composeMessage } from "../campaigns/compose.ts";
import { sendDiscountCode } from "./codes.ts";
import type { DiscountFailure } from "./issue.ts";

/**
 * A send's discount, stored with it (campaign_sends.discount). `planned` at compose time, when
 * the code is known (derived from the send) but Shopify does not hold it yet; `created` or
 * `failed` once delivery asked Shopify, right before the email went out (settle.ts).
 */
export interface SendDiscount {
  status: "planned" | "created" | "failed";
  code: string;
  description: string;
  discount: StepDiscount;
  /** The email without the code, sent when the creation fails; dropped once settled. */
  fallback?: { subject: string; html: string; text: string };
  reason?: DiscountFailure;
  detail?: string;
  shopifyId?: string;
}

/**
 * Composes a send of a step with a discount twice, with the code and without it: nothing is
 * created here (deciding is not sending: a skip, a holdout or a deferral never costs a code),
 * and whichever way the creation goes at delivery there is an email ready to go.
 */
export function composeWithDiscount(
  input: ComposeInput,
  discount: StepDiscount | null | undefined,
  idempotencyKey: string,
): { composed: ComposeResult; discount: SendDiscount | null } {
  if (!discount || input.mode === "test") return { composed: composeMessage(input), discount: null };
  const code = sendDiscountCode(input.appSecret, idempotencyKey);
  const description = describeDiscount(discount, { currency: input.shop.currency, moneyFormat: input.shop.moneyFormat });
  const withCode = composeMessage({ ...input, discount: { code, description } });
  if (withCode.type !== "ok") return { composed: withCode, discount: null };
  const without = composeMessage(input);
  if (without.type !== "ok") return { composed: without, discount: null };
  const { subject, html, text } = without.message;
  return { composed: withCode, discount: { status: "planned", code, description, discount, fallback: { subject, html, text } } };
}

/** Previews and test sends show where the code goes; no code is created for them. */
export const SAMPLE_DISCOUNT_CODE = "SAMPLE-CODE";

export function sampleDiscount(discount: StepDiscount | null | undefined, shop: { currency: string; moneyFormat: string }): { code: string; description: string } | null {
  return discount ? { code: SAMPLE_DISCOUNT_CODE, description: describeDiscount(discount, shop) } : null;
}
