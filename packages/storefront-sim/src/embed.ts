import { readFileSync } from "node:fs";
import { Liquid } from "liquidjs";

export interface EmbedContext {
  shop: string;
  customer: { id: string; email: string } | null;
  cart: { token: string; items: Array<{ variantId: string; quantity: number }> } | null;
  consent: string;
  assetUrl: string;
}

/**
 * Renders the theme app extension's real block file (extensions/cart-tracker/blocks/*.liquid)
 * the way Shopify injects an enabled app embed before </body>: schema removed, Liquid's
 * `shop`, `customer`, `cart` and `block.settings` filled in, `asset_url` pointing at the sim.
 */
export function createEmbedRenderer(blockFile: string): (context: EmbedContext) => string {
  const source = readFileSync(blockFile, "utf8").replace(/{%-?\s*schema\s*-?%}[\s\S]*?{%-?\s*endschema\s*-?%}/, "");
  const engine = new Liquid({ strictFilters: true });
  let assetUrl = "";
  engine.registerFilter("asset_url", (name: string) => `${assetUrl}${name}`);
  const template = engine.parse(source);
  return (context) => {
    assetUrl = context.assetUrl;
    return engine.renderSync(template, {
      shop: { permanent_domain: context.shop },
      customer: context.customer ? { id: Number(context.customer.id), email: context.customer.email } : null,
      cart: {
        token: context.cart?.token ?? "",
        items: (context.cart?.items ?? []).map((item) => ({ variant_id: Number(item.variantId), quantity: item.quantity })),
      },
      block: { settings: { consent: context.consent } },
    }) as string;
  };
}
