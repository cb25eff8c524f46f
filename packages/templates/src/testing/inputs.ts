import type { CatalogRow } from "@cartback/core/catalog/row";
import type { RenderInputDraft } from "../input.ts";
import { buildRecoveryUrl } from "../recovery-url.ts";
import { HADES } from "./storefront-rows.ts";

/** A render input for a cart of these rows (quantities cycle 1, 2, 1, …), Hades Culture's INR shop. */
export function inputFor(rows: CatalogRow[], overrides: Partial<RenderInputDraft> = {}): RenderInputDraft {
  const lines = rows.map((row, i) => ({ variantId: row.Identity, quantity: i % 2 === 0 ? 1 : 2, unitPrice: row.Price ?? 0, currency: row.Currency }));
  const recovery = buildRecoveryUrl({ shopDomain: HADES.domain, lines: lines.length > 0 ? lines : [{ variantId: "1", quantity: 1 }], token: "rt_test", utm: { source: "cartback", medium: "email", campaign: "abandoned-cart" } });
  if (recovery.type !== "ok") throw new Error(recovery.message);
  return {
    profile: { shopify_cart_ids: rows.map((row) => row.Identity), first_seen: "2026-11-01" },
    customer: { first_name: "Priya", last_name: "Sharma", email: "priya@example.com" },
    lines,
    catalogRows: rows,
    shop: { name: "Hades Culture", domain: HADES.domain, money_format: "₹{{amount}}", currency: HADES.currency },
    recovery_url: recovery.url,
    unsubscribe_url: `https://${HADES.domain}/apps/cartback/unsubscribe?t=u_test`,
    ...overrides,
  };
}
