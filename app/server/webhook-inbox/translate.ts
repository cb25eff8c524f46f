import {
  CART_TOPICS,
  CHECKOUT_TOPICS,
  fromCartWebhook,
  fromCheckoutWebhook,
  fromOrderWebhook,
  ORDER_TOPICS,
  type WebhookContext,
  type WebhookTranslation,
} from "@cartback/core/events/shopify-webhooks";

export type Translate = (topic: string, payload: unknown, context: WebhookContext) => WebhookTranslation | null;

const has = (topics: readonly string[], topic: string) => topics.includes(topic);

/** carts/create, carts/update → a Cart Snapshot of the token. */
export const translateCart: Translate = (topic, payload, context) => (has(CART_TOPICS, topic) ? fromCartWebhook(payload, context) : null);
/** checkouts/create, checkouts/update → Checkout Started (+ Identify). */
export const translateCheckout: Translate = (topic, payload) => (has(CHECKOUT_TOPICS, topic) ? fromCheckoutWebhook(payload) : null);
/** orders/create, orders/paid → Charged. */
export const translateOrder: Translate = (topic, payload) => (has(ORDER_TOPICS, topic) ? fromOrderWebhook(payload) : null);

/** Any stored delivery's topic: the drain applies rows of every route. */
export const translateAny: Translate = (topic, payload, context) =>
  translateCart(topic, payload, context) ?? translateCheckout(topic, payload, context) ?? translateOrder(topic, payload, context);

/** The event webhooks' paths (shopify.app.toml) and what each accepts. */
export const EVENT_WEBHOOK_ROUTES: Readonly<Record<string, Translate>> = {
  "/webhooks/carts": translateCart,
  "/webhooks/checkouts": translateCheckout,
  "/webhooks/orders": translateOrder,
};
