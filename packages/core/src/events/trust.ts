import type { EventSource } from "./names.ts";

/**
 * What each source may vouch for. A browser (the web pixel's `/collect`, the app proxy's
 * body) can be forged by anyone: its events may move carts, and an email it names is kept
 * as *unverified* — it stitches profiles (so a cart attaches once a trusted source names the
 * same address) but never makes an address mailable. Only Shopify-signed data (webhooks, the
 * customer record behind the app proxy's signed `logged_in_customer_id`, read through the
 * Admin API) and the merchant's secret API key vouch for an address, a consent state or the
 * name that leads a subject line.
 */
export interface SourceTrust {
  /** An email or phone it names is the shopper's, to mail. */
  contact: boolean;
  /** Marketing consent (Identify.marketingConsent, acceptsMarketing at checkout). */
  consent: boolean;
  /** First and last name (they lead subject lines). */
  names: boolean;
  /** A customerId in the body; the app proxy's signed customer id is set by the transport. */
  customerId: boolean;
}

const TRUSTED: SourceTrust = { contact: true, consent: true, names: true, customerId: true };
const BROWSER: SourceTrust = { contact: false, consent: false, names: false, customerId: false };

export const SOURCE_TRUST: Readonly<Record<EventSource, SourceTrust>> = {
  webhook: TRUSTED,
  api: TRUSTED,
  admin: TRUSTED,
  sdk: BROWSER,
  pixel: BROWSER,
};
