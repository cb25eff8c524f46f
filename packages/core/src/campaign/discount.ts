import { z } from "zod";
import { formatMoney, type ShopMoney } from "../money-format.ts";
import { majorToMinor } from "../money.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A step's discount: every email of the step carries its own single-use code, created with
 * the Admin API `discountCodeBasicCreate` just before the email goes out (never for a skip).
 * `percentage` is a whole percent; `fixed_amount` a decimal amount in the shop's currency.
 */
export const StepDiscount = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("percentage"),
    percent: z.number().int().min(1, "at least 1 %").max(100, "at most 100 %"),
    expiresAfterDays: z.number().int().min(1).max(365).default(7),
    oncePerCustomer: z.boolean().default(true),
  }),
  z.object({
    kind: z.literal("fixed_amount"),
    amount: z.string().regex(/^\d{1,9}(\.\d{1,3})?$/, "an amount like 5.00").refine((a) => Number(a) > 0, "more than 0"),
    expiresAfterDays: z.number().int().min(1).max(365).default(7),
    oncePerCustomer: z.boolean().default(true),
  }),
]);
export type StepDiscount = z.infer<typeof StepDiscount>;

/** "10% off", "€5.00 off": what `discount_description` prints and the admin shows. */
export function describeDiscount(discount: StepDiscount, shop: ShopMoney): string {
  if (discount.kind === "percentage") return `${discount.percent}% off`;
  const minor = majorToMinor(discount.amount, shop.currency);
  return minor.type === "ok" ? `${formatMoney(minor.minor, shop.currency, shop)} off` : `${discount.amount} ${shop.currency} off`;
}

/** Shopify's `DiscountCodeBasicInput` for one email's code. Time comes in: no clock here. */
export function discountCodeInput(discount: StepDiscount, code: string, title: string, now: Date): Record<string, unknown> {
  const value =
    discount.kind === "percentage"
      ? { percentage: discount.percent / 100 }
      : { discountAmount: { amount: discount.amount, appliesOnEachItem: false } };
  return {
    title,
    code,
    startsAt: now.toISOString(),
    endsAt: new Date(now.getTime() + discount.expiresAfterDays * DAY_MS).toISOString(),
    context: { all: "ALL" },
    customerGets: { value, items: { all: true } },
    // Single use: one email, one order.
    usageLimit: 1,
    appliesOncePerCustomer: discount.oncePerCustomer,
  };
}

const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/**
 * A code from the bytes of a keyed hash of the send's idempotency key: the same email always
 * gets the same code, so a retry after a crash re-creates (and finds TAKEN) the same code
 * instead of minting a second one. No 0/O/1/I: shoppers type these.
 */
export function codeFromDigest(digest: Uint8Array, prefix = "CB"): string {
  let code = "";
  for (let i = 0; i < 10; i++) code += CODE_ALPHABET[digest[i]! % CODE_ALPHABET.length];
  return `${prefix}-${code}`;
}

/** Shopify's shareable discount link: applies the code, then lands on `path` of the same shop. */
export function discountLandingUrl(target: string, code: string): string | null {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return null;
  }
  const landing = new URL(`/discount/${encodeURIComponent(code)}`, url.origin);
  landing.searchParams.set("redirect", `${url.pathname}${url.search}`);
  return landing.toString();
}
