import { majorToMinor } from "../money.ts";
import { type CartEvent, type CartLineInput, type Identifiers, type Identify, MarketingConsentClaim, type RemovedFromCart } from "./event.ts";
import type { Envelope } from "./parse.ts";
import { mergeLines } from "./wire.ts";
import {
  boolean, cartToken, checkoutToken, currency, customerId, email, int, type Json, major, minor, nullish, oneOf,
  onlyStorableExtras, optional, phone, plainObject, productId, quantity, shopifyId, shortText, text, timestamp, trimmed, UNSURE, urlText, variantId,
} from "./wire-check-fields.ts";

/**
 * The common case of `WireEvent.safeParse` (after `findUnstorableText`) without zod: zod's
 * object, union and default machinery was a fifth of the events API's answering CPU
 * (bench:ingest profiles, issue 18). It accepts a subset of what the schema accepts and gives
 * the same value for it; anything it is not sure of (any wrong field, an object under an
 * unknown key, a surrogate) is `null`, and the caller asks the schema, which stays the spec
 * and words every rejection. wire-check.test.ts holds the two equal over random events.
 */
export function checkEvent(input: unknown, envelope: Envelope): CartEvent | null {
  try {
    return check(input, envelope);
  } catch (error) {
    if (error === UNSURE) return null;
    throw error;
  }
}

const COMMON = ["id", "occurredAt", "clientId", "cartToken", "checkoutToken", "customerId", "email", "phone", "currency", "name"];
const LINE = ["variantId", "quantity", "price", "priceMinor", "currency", "title", "productId", "imageUrl", "url", "sku"];
const MONEY = ["lines", "total", "totalMinor", "acceptsMarketing"];
/** The keys each event's schema reads; any other key is stripped by zod but still scanned for unstorable text. */
const KEYS = new Map<unknown, ReadonlySet<string>>([
  ["Added to Cart", new Set([...COMMON, ...LINE])],
  ["Removed from Cart", new Set([...COMMON, ...LINE])],
  ["Cart Snapshot", new Set([...COMMON, "lines"])],
  ["Checkout Started", new Set([...COMMON, ...MONEY])],
  ["Identify", new Set([...COMMON, "firstName", "lastName", "marketingConsent", "via"])],
  ["Charged", new Set([...COMMON, ...MONEY, "orderId", "discountCodes"])],
]);
const LINE_KEYS: ReadonlySet<string> = new Set(LINE);
const CONSENT: ReadonlySet<unknown> = new Set(MarketingConsentClaim.options);
const VIA: ReadonlySet<unknown> = new Set(["login", "form", "checkout", "api", "order"]);

/**
 * toBody in wire.ts, field by field, and parseEvent's envelope, each event one object literal:
 * no intermediate objects and no spreads (an object spread cost microseconds per event here).
 */
function check(input: unknown, envelope: Envelope): CartEvent {
  const raw = plainObject(input);
  const keys = KEYS.get(raw.name);
  if (!keys) throw UNSURE;
  onlyStorableExtras(raw, keys);
  const id = trimmed(raw.id, 200);
  const occurredAt = timestamp(raw.occurredAt);
  const { shop, receivedAt, source } = envelope;
  const identifiers = identifiersOf(raw);
  const eventCurrency = optional(raw.currency, currency);
  switch (raw.name) {
    case "Added to Cart":
      return { name: "Added to Cart", identifiers, line: line(raw, quantity(raw.quantity, 1), eventCurrency), id, occurredAt, shop, receivedAt, source };
    case "Removed from Cart": {
      const removed = optional(raw.quantity, (v) => int(v, 1, 100_000));
      const removedLine: RemovedFromCart["line"] = line(raw, 1, eventCurrency);
      removedLine.quantity = removed ?? null;
      return { name: "Removed from Cart", identifiers, line: removedLine, id, occurredAt, shop, receivedAt, source };
    }
    case "Cart Snapshot":
      if (identifiers.cartToken === undefined) throw UNSURE;
      return { name: "Cart Snapshot", identifiers, lines: mergeLines(lines(raw.lines, eventCurrency).filter((l) => l.quantity > 0)), id, occurredAt, shop, receivedAt, source };
    case "Checkout Started":
    case "Charged": {
      const list = raw.lines === undefined ? [] : lines(raw.lines, eventCurrency);
      // With no event currency a line's currency is its own: the schema's first line naming one.
      const code = eventCurrency ?? list.find((l) => l.currency)?.currency ?? null;
      const total = amount(raw.total, raw.totalMinor, code);
      const acceptsMarketing = boolean(raw.acceptsMarketing) ?? null;
      if (raw.name === "Checkout Started") {
        if (identifiers.checkoutToken === undefined) throw UNSURE;
        return { name: "Checkout Started", identifiers, lines: list, total, currency: code, acceptsMarketing, id, occurredAt, shop, receivedAt, source };
      }
      const orderId = shopifyId(raw.orderId);
      const codes = optional(raw.discountCodes, discountCodes);
      if (!codes?.length) return { name: "Charged", orderId, identifiers, lines: list, total, currency: code, acceptsMarketing, id, occurredAt, shop, receivedAt, source };
      return { name: "Charged", orderId, identifiers, lines: list, total, currency: code, acceptsMarketing, discountCodes: codes, id, occurredAt, shop, receivedAt, source };
    }
    default: {
      // The schema's refine: an Identify names someone.
      if (!(identifiers.email || identifiers.customerId || identifiers.phone)) throw UNSURE;
      const { firstName, lastName } = raw;
      return {
        name: "Identify",
        identifiers,
        firstName: firstName === undefined ? null : shortText(firstName),
        lastName: lastName === undefined ? null : shortText(lastName),
        marketingConsent: (oneOf(raw.marketingConsent, CONSENT) ?? null) as Identify["marketingConsent"],
        via: (oneOf(raw.via, VIA) ?? null) as Identify["via"],
        id,
        occurredAt,
        shop,
        receivedAt,
        source,
      };
    }
  }
}

function identifiersOf(raw: Json): Identifiers {
  const out: Identifiers = {};
  if (raw.clientId !== undefined) out.clientId = trimmed(raw.clientId, 200);
  if (raw.cartToken !== undefined) out.cartToken = cartToken(raw.cartToken);
  if (raw.checkoutToken !== undefined) out.checkoutToken = checkoutToken(raw.checkoutToken);
  if (raw.customerId !== undefined) out.customerId = customerId(raw.customerId);
  if (raw.email !== undefined) out.email = email(raw.email);
  if (raw.phone !== undefined) out.phone = phone(raw.phone);
  return out;
}


/** WireLine's fields as toBody's `line` gives them. */
function line(raw: Json, count: number, fallbackCurrency: string | undefined): CartLineInput {
  const currencyCode = optional(raw.currency, currency) ?? fallbackCurrency ?? null;
  return {
    variantId: variantId(raw.variantId),
    quantity: count,
    unitPrice: amount(raw.price, raw.priceMinor, currencyCode),
    currency: currencyCode,
    title: nullish(raw.title, shortText) ?? null,
    productId: nullish(raw.productId, productId) ?? null,
    imageUrl: nullish(raw.imageUrl, urlText) ?? null,
    url: nullish(raw.url, urlText) ?? null,
    sku: nullish(raw.sku, shortText) ?? null,
  };
}

function lines(value: unknown, fallbackCurrency: string | undefined): CartLineInput[] {
  if (!Array.isArray(value) || value.length > 500) throw UNSURE;
  const out = new Array<CartLineInput>(value.length);
  for (let i = 0; i < value.length; i++) {
    const raw = plainObject(value[i]);
    onlyStorableExtras(raw, LINE_KEYS);
    out[i] = line(raw, quantity(raw.quantity, 0), fallbackCurrency);
  }
  return out;
}

/** Both fields are checked as the schema checks them; minor units win, as in toBody's `amount`. */
function amount(majorValue: unknown, minorValue: unknown, currencyCode: string | null): number | null {
  const inMinor = optional(minorValue, minor);
  const inMajor = optional(majorValue, major);
  if (inMinor !== undefined) return inMinor;
  if (inMajor === undefined) return null;
  if (!currencyCode) throw UNSURE;
  const result = majorToMinor(inMajor, currencyCode);
  if (result.type !== "ok") throw UNSURE;
  return result.minor;
}

function discountCodes(value: unknown): string[] {
  if (!Array.isArray(value) || value.length > 50) throw UNSURE;
  return value.map((code) => {
    if (text(code).length < 1 || (code as string).length > 255) throw UNSURE;
    return code as string;
  });
}
