/** Event names as the merchant sees them in the admin and in campaign triggers. */
export const EVENT_NAMES = [
  "Added to Cart",
  "Removed from Cart",
  "Cart Snapshot",
  "Checkout Started",
  "Identify",
  "Charged",
] as const;
export type EventName = (typeof EVENT_NAMES)[number];

/**
 * Where an event came from; `api` is POST /api/v1/events (custom sources), `admin` a record
 * read from Shopify's Admin API (the logged-in customer behind an app proxy request).
 * What each may vouch for: trust.ts.
 */
export const EVENT_SOURCES = ["sdk", "pixel", "webhook", "api", "admin"] as const;
export type EventSource = (typeof EVENT_SOURCES)[number];
