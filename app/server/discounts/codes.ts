import { createHmac } from "node:crypto";
import { codeFromDigest } from "@cartback/core/campaign/discount";

/**
 * One email's code, derived from its send's idempotency key with the installation secret:
 * nobody can guess another email's code, and the same send always has the same code, so a
 * retry after a crash between Shopify's answer and our commit asks for the same code again
 * (TAKEN, ours) instead of creating a second discount.
 */
export function sendDiscountCode(secret: string, idempotencyKey: string): string {
  return codeFromDigest(createHmac("sha256", secret).update(`discount:${idempotencyKey}`).digest());
}
