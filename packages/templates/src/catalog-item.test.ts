import type { CatalogRow } from "@cartback/core/catalog/row";
import { describe, expect, it } from "vitest";
import { compileTemplate } from "./compile.ts";
import { renderEmail } from "./render.ts";
import type { RenderInputDraft } from "./input.ts";

/** CleverTap's cart-abandonment snippet, with the price it prints from its catalog. */
const CLEVERTAP_SNIPPET =
  "{% for item in Catalog.Samplecatalog1 %}{{ item.ImageURL | default: 'No Image' }} {{ item.Name }} {{ item.Price }}{% endfor %}";

function row(price: number | null, currency: string, overrides: Partial<CatalogRow> = {}): CatalogRow {
  return {
    Identity: "44843038015702", Name: "Linen Shirt - M", ImageURL: "https://cdn.shopify.com/s/files/1/shirt.jpg",
    Price: price, CompareAtPrice: null, Currency: currency, ProductURL: null, SKU: null, Available: true,
    InventoryQuantity: null, Vendor: null, ProductType: null, Handle: null, ProductId: null, Status: "ACTIVE", UpdatedAt: null,
    ...overrides,
  };
}

function input(rows: CatalogRow[], currency: string, moneyFormat: string): RenderInputDraft {
  return {
    profile: { shopify_cart_ids: rows.map((r) => r.Identity) },
    customer: { first_name: "Ana", last_name: null, email: "ana@example.com" },
    lines: rows.map((r) => ({ variantId: r.Identity, quantity: 2, unitPrice: r.Price ?? 0, currency })),
    catalogRows: rows,
    mapping: { alias: "Samplecatalog1" },
    shop: { name: "Shirts", domain: "shirts.myshopify.com", money_format: moneyFormat, currency },
    recovery_url: "https://shirts.myshopify.com/cart/44843038015702:2",
    unsubscribe_url: "https://shirts.myshopify.com/apps/cartback/unsubscribe?t=u",
  };
}

function render(html: string, draft: RenderInputDraft): string {
  const compiled = compileTemplate({ subject: "s", preheader: "", html });
  if (compiled.type !== "ok") throw new Error(compiled.message);
  const result = renderEmail(compiled.template, draft);
  if (result.type !== "ok") throw new Error(result.message);
  return result.html;
}

describe("catalog prices as CleverTap shows them", () => {
  it("prints 29.00 for a 29.00 product in CleverTap's snippet", () => {
    const html = render(CLEVERTAP_SNIPPET, input([row(2900, "USD")], "USD", "${{amount}}"));
    expect(html).toBe("https://cdn.shopify.com/s/files/1/shirt.jpg Linen Shirt - M 29.00");
  });

  it("uses the currency's own exponent: JPY 2900, KWD 29.000", () => {
    expect(render("{{ Catalog.Samplecatalog1.first.Price }}", input([row(2900, "JPY")], "JPY", "¥{{amount_no_decimals}}"))).toBe("2900");
    expect(render("{{ Catalog.Samplecatalog1.first.Price }}", input([row(29000, "KWD")], "KWD", "{{amount}} KD"))).toBe("29.000");
  });

  it("prints CompareAtPrice the same way and an empty string when a row has no price", () => {
    const html = render("{% for item in Catalog.Samplecatalog1 %}[{{ item.Price }}|{{ item.CompareAtPrice }}]{% endfor %}",
      input([row(1999, "EUR", { CompareAtPrice: 2500 }), row(null, "EUR", { Identity: "2" })], "EUR", "€{{amount}}"));
    expect(html).toBe("[19.99|25.00][|]");
  });

  it("keeps minor units as PriceMinor, and money filters print the same from either", () => {
    const template = "{% for item in Catalog.Samplecatalog1 %}{{ item.PriceMinor }} {{ item.Price | money }} {{ item.PriceMinor | money }} {{ item.Price | money_with_currency }}{% endfor %}";
    expect(render(template, input([row(2900, "USD")], "USD", "${{amount}}"))).toBe("2900 $29.00 $29.00 $29.00 USD");
    expect(render(template, input([row(123456, "EUR")], "EUR", "{{amount_with_comma_separator}} €"))).toBe("123456 1.234,56 € 1.234,56 € 1.234,56 € EUR");
    expect(render(template, input([row(29000, "KWD")], "KWD", "{{amount}} KD"))).toBe("29000 29.00 KD 29.00 KD 29.00 KD KWD");
  });

  it("shows the same decimal Price in cart.items, where price and line_price stay minor units", () => {
    const html = render("{% for item in cart.items %}{{ item.Price }} {{ item.price }} {{ item.line_price | money }}{% endfor %}",
      input([row(2900, "USD")], "USD", "${{amount}}"));
    expect(html).toBe("29.00 2900 $58.00");
  });
});
