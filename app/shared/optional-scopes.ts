/**
 * Scopes Cartback works without, asked for only when the merchant wants what they enable
 * (shopify.app.toml `optional_scopes`). Each says what the merchant misses without it.
 */
export const OPTIONAL_SCOPES: Record<string, { what: string; without: string; onDemand?: boolean }> = {
  read_customers: {
    what: "Read customers",
    without:
      "Cartback cannot confirm the email and marketing consent of shoppers who log in to your store, so a logged-in shopper's cart is emailed only once they reach checkout.",
  },
  // Asked for beside a step's discount fields, when the merchant wants codes; not on every page.
  write_discounts: {
    what: "Create discounts",
    without: "Cartback cannot create the discount codes your campaign steps attach, so those emails go out without a code.",
    onDemand: true,
  },
};

export function isOptionalScope(scope: string): boolean {
  return Object.hasOwn(OPTIONAL_SCOPES, scope);
}
