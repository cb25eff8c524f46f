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

/** Where an event came from; `api` is POST /api/v1/events (custom sources). */
export const EVENT_SOURCES = ["sdk", "pixel", "webhook", "api"] as const;
export type EventSource = (typeof EVENT_SOURCES)[number];
