import { z } from "zod";
import { majorToMinor } from "../money.ts";
import type { CartEventBody, CartLineInput } from "./event.ts";
import { MarketingConsentClaim } from "./event.ts";
import {
  CartTokenField,
  CheckoutTokenField,
  CurrencyField,
  CustomerIdField,
  EmailField,
  EventIdField,
  MajorAmountField,
  MinorAmountField,
  OrderIdField,
  PhoneField,
  ProductIdField,
  ShortText,
  TimestampField,
  UrlText,
  VariantIdField,
} from "./fields.ts";

/**
 * The JSON a browser, the storefront SDK or a custom source POSTs: one flat object per
 * event, ids as strings (numbers and GIDs are accepted too), money as `price` in major
 * units ("19.99" or 19.99) or `priceMinor` in minor units (1999), ISO timestamps.
 * `WireEvent` is the input type producers build; parsing yields the normalized body.
 */
const WireLine = z.object({
  variantId: VariantIdField,
  quantity: z.number().int().min(0).max(100_000).default(1),
  price: MajorAmountField.optional(),
  priceMinor: MinorAmountField.optional(),
  currency: CurrencyField.optional(),
  title: ShortText.nullish(),
  productId: ProductIdField.nullish(),
  imageUrl: UrlText.nullish(),
  url: UrlText.nullish(),
  sku: ShortText.nullish(),
});
type WireLineOut = z.output<typeof WireLine>;

const common = {
  id: EventIdField,
  occurredAt: TimestampField,
  clientId: z.string().trim().min(1).max(200).optional(),
  cartToken: CartTokenField.optional(),
  checkoutToken: CheckoutTokenField.optional(),
  customerId: CustomerIdField.optional(),
  email: EmailField.optional(),
  phone: PhoneField.optional(),
  /** Default currency for prices in this event. */
  currency: CurrencyField.optional(),
};

const Added = z.object({ ...common, name: z.literal("Added to Cart"), ...WireLine.shape, quantity: z.number().int().min(1).max(100_000).default(1) });
const Removed = z.object({ ...common, name: z.literal("Removed from Cart"), ...WireLine.shape, quantity: z.number().int().min(1).max(100_000).optional() });
const Snapshot = z.object({ ...common, name: z.literal("Cart Snapshot"), cartToken: CartTokenField, lines: z.array(WireLine).max(500) });
const Checkout = z.object({
  ...common,
  name: z.literal("Checkout Started"),
  checkoutToken: CheckoutTokenField,
  lines: z.array(WireLine).max(500).default([]),
  total: MajorAmountField.optional(),
  totalMinor: MinorAmountField.optional(),
  acceptsMarketing: z.boolean().optional(),
});
const IdentifyWire = z
  .object({
    ...common,
    name: z.literal("Identify"),
    firstName: ShortText.optional(),
    lastName: ShortText.optional(),
    marketingConsent: MarketingConsentClaim.optional(),
    via: z.enum(["login", "form", "checkout", "api", "order"]).optional(),
  })
  .refine((e) => e.email || e.customerId || e.phone, {
    message: "an Identify needs email, customerId or phone",
    path: ["email"],
  });
const ChargedWire = z.object({
  ...common,
  name: z.literal("Charged"),
  orderId: OrderIdField,
  lines: z.array(WireLine).max(500).default([]),
  total: MajorAmountField.optional(),
  totalMinor: MinorAmountField.optional(),
  acceptsMarketing: z.boolean().optional(),
  discountCodes: z.array(z.string().min(1).max(255)).max(50).optional(),
});

type Issue = { path: (string | number)[]; message: string };

export const WireEvent = z
  .discriminatedUnion("name", [Added, Removed, Snapshot, Checkout, IdentifyWire, ChargedWire])
  .transform((event, ctx) => {
    const issues: Issue[] = [];
    const body = toBody(event, issues);
    for (const issue of issues) ctx.issues.push({ code: "custom", input: event, ...issue });
    return issues.length > 0 ? z.NEVER : { id: event.id, occurredAt: event.occurredAt, body };
  });
export type WireEvent = z.input<typeof WireEvent>;
export type ParsedWireEvent = z.output<typeof WireEvent>;

type WireOut = z.output<typeof Added> | z.output<typeof Removed> | z.output<typeof Snapshot>
  | z.output<typeof Checkout> | z.output<typeof IdentifyWire> | z.output<typeof ChargedWire>;

function toBody(event: WireOut, issues: Issue[]): CartEventBody {
  const identifiers = {
    ...(event.clientId ? { clientId: event.clientId } : {}),
    ...(event.cartToken ? { cartToken: event.cartToken } : {}),
    ...(event.checkoutToken ? { checkoutToken: event.checkoutToken } : {}),
    ...(event.customerId ? { customerId: event.customerId } : {}),
    ...(event.email ? { email: event.email } : {}),
    ...(event.phone ? { phone: event.phone } : {}),
  };
  const lines = (list: WireLineOut[]) => list.map((l, i) => line(l, event.currency, ["lines", i], issues));
  switch (event.name) {
    case "Added to Cart":
      return { name: event.name, identifiers, line: line(event, event.currency, [], issues) };
    case "Removed from Cart":
      return { name: event.name, identifiers, line: { ...line({ ...event, quantity: 1 }, event.currency, [], issues), quantity: event.quantity ?? null } };
    case "Cart Snapshot":
      return { name: event.name, identifiers, lines: mergeLines(lines(event.lines).filter((l) => l.quantity > 0)) };
    case "Checkout Started":
    case "Charged": {
      const currency = event.currency ?? event.lines.find((l) => l.currency)?.currency ?? null;
      const total = amount(event.total, event.totalMinor, currency, ["total"], issues);
      const shared = { identifiers, lines: lines(event.lines), total, currency, acceptsMarketing: event.acceptsMarketing ?? null };
      if (event.name !== "Charged") return { name: event.name, ...shared };
      return { name: event.name, orderId: event.orderId, ...shared, ...(event.discountCodes?.length ? { discountCodes: event.discountCodes } : {}) };
    }
    case "Identify":
      return {
        name: event.name,
        identifiers,
        firstName: event.firstName ?? null,
        lastName: event.lastName ?? null,
        marketingConsent: event.marketingConsent ?? null,
        via: event.via ?? null,
      };
  }
}

function line(l: WireLineOut, fallbackCurrency: string | undefined, path: (string | number)[], issues: Issue[]): CartLineInput {
  const currency = l.currency ?? fallbackCurrency ?? null;
  return {
    variantId: l.variantId,
    quantity: l.quantity,
    unitPrice: amount(l.price, l.priceMinor, currency, [...path, "price"], issues),
    currency,
    title: l.title ?? null,
    productId: l.productId ?? null,
    imageUrl: l.imageUrl ?? null,
    url: l.url ?? null,
    sku: l.sku ?? null,
  };
}

function amount(major: number | string | undefined, minor: number | undefined, currency: string | null, path: (string | number)[], issues: Issue[]): number | null {
  if (minor !== undefined) return minor;
  if (major === undefined) return null;
  if (!currency) {
    issues.push({ path: [...path], message: "a price needs a currency (on the line or the event)" });
    return null;
  }
  const result = majorToMinor(major, currency);
  if (result.type === "ok") return result.minor;
  issues.push({ path, message: result.reason });
  return null;
}

/** /cart.js lists a variant once per line item properties; the cart rules count per variant. */
export function mergeLines(lines: CartLineInput[]): CartLineInput[] {
  const byVariant = new Map<string, CartLineInput>();
  for (const l of lines) {
    const seen = byVariant.get(l.variantId);
    byVariant.set(l.variantId, seen ? { ...seen, quantity: seen.quantity + l.quantity } : l);
  }
  return [...byVariant.values()];
}
