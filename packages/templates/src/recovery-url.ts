import { z } from "zod";

export const RecoveryUrlInput = z.object({
  /** The storefront host (primary domain or *.myshopify.com), no scheme or path. */
  shopDomain: z
    .string()
    .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i, "must be a bare host name"),
  /**
   * The storefront's origin (scheme, host, port) when it is not https://{shopDomain}: the
   * primary domain Shopify reports, or a local demo storefront. Wins over shopDomain.
   */
  storefrontOrigin: z
    .string()
    .regex(/^https?:\/\/[^/?#\s]+$/i, "must be an origin like https://shop.example")
    .optional(),
  lines: z
    .array(z.object({ variantId: z.string().regex(/^\d+$/, "must be digits"), quantity: z.number().int().positive() }))
    .min(1, "a cart link needs at least one line"),
  /** Our recovery token, so the landing can be attributed to this email. */
  token: z.string().regex(/^[\w-]{1,128}$/, "must be URL-safe").optional(),
  discountCode: z.string().min(1).max(255).optional(),
  utm: z
    .object({
      source: z.string().min(1).default("cartback"),
      medium: z.string().min(1).default("email"),
      campaign: z.string().min(1).optional(),
      content: z.string().min(1).optional(),
    })
    .optional(),
});
export type RecoveryUrlInput = z.input<typeof RecoveryUrlInput>;

export type RecoveryUrlResult = { type: "ok"; url: string } | { type: "invalid_input"; field: string; message: string };

/**
 * Shopify's cart permalink, `https://{shop}/cart/{variant}:{qty},…`, rebuilds exactly these
 * lines in a fresh cart; `storefront=true` lands the shopper on the cart page rather than in
 * checkout, so they can still change it. A variant listed twice would be added twice, so
 * repeated lines are merged first.
 */
export function buildRecoveryUrl(draft: RecoveryUrlInput): RecoveryUrlResult {
  const parsed = RecoveryUrlInput.safeParse(draft);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { type: "invalid_input", field: issue?.path.join(".") || "(root)", message: issue?.message ?? "invalid" };
  }
  const input = parsed.data;
  const quantities = new Map<string, number>();
  for (const line of input.lines) quantities.set(line.variantId, (quantities.get(line.variantId) ?? 0) + line.quantity);
  const path = [...quantities].map(([variantId, quantity]) => `${variantId}:${quantity}`).join(",");
  const params = new URLSearchParams({ storefront: "true" });
  if (input.discountCode !== undefined) params.set("discount", input.discountCode);
  if (input.token !== undefined) params.set("cartback_token", input.token);
  if (input.utm !== undefined) {
    params.set("utm_source", input.utm.source);
    params.set("utm_medium", input.utm.medium);
    if (input.utm.campaign !== undefined) params.set("utm_campaign", input.utm.campaign);
    if (input.utm.content !== undefined) params.set("utm_content", input.utm.content);
  }
  const origin = input.storefrontOrigin ?? `https://${input.shopDomain}`;
  return { type: "ok", url: `${origin.toLowerCase()}/cart/${path}?${params}` };
}
