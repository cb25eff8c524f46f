import { z } from "zod";

/**
 * What ingest tells the rest of the system after it applied events, inside the same
 * transaction: the campaign engine opens, debounces and ends abandonment episodes from
 * these. `at` is the event's occurredAt; `receivedAt`, when given, is when Cartback learned of it.
 */
export const CartActivity = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("cart_changed"),
    shop: z.string(),
    profileId: z.string(),
    at: z.date(),
    /** True when the change added quantity (an Added to Cart, or a snapshot that grew). */
    added: z.boolean(),
    /** Lines left in the cart after the change. */
    lineCount: z.number().int().nonnegative(),
    /**
     * When Cartback learned of the change: the latest receipt among the events that made it.
     * Webhooks arrive late and retried, so this can be long after `at`. Absent: at `at`.
     */
    receivedAt: z.date().optional(),
    /** The live cart after the change, to compare with what an email showed. Absent: not reported. */
    lines: z.array(z.object({ variantId: z.string(), quantity: z.number().int().positive() })).optional(),
  }),
  z.object({
    kind: z.literal("charged"),
    shop: z.string(),
    profileId: z.string(),
    at: z.date(),
    orderId: z.string(),
  }),
  z.object({
    kind: z.literal("identified"),
    shop: z.string(),
    profileId: z.string(),
    at: z.date(),
    /** Which identifier became known: a late email may make a due step sendable. */
    identifier: z.enum(["email", "customerId", "phone"]),
  }),
  z.object({
    kind: z.literal("merged"),
    shop: z.string(),
    /** The surviving profile. */
    profileId: z.string(),
    /** Profiles folded into it; their episodes and decisions move to profileId. */
    mergedIds: z.array(z.string()).min(1),
    at: z.date(),
  }),
]);
export type CartActivity = z.infer<typeof CartActivity>;
