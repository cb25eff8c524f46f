import type { BlockOf } from "../document.ts";
import { compileText, escapeText } from "../text.ts";
import { button, row } from "./layout.ts";

/** How the campaign maps its catalog: the cart-items loop reads the alias when there is one. */
export type CatalogRef = { catalog: string; alias?: string | undefined };

/** `Catalog.Samplecatalog1`, or `Catalog["shopify-catalog"]` for names that are not plain identifiers. */
export function catalogExpression(mapping: CatalogRef): string {
  const name = mapping.alias ?? mapping.catalog;
  return /^[A-Za-z_]\w*$/.test(name) ? `Catalog.${name}` : `Catalog[${JSON.stringify(name)}]`;
}

// Catalog rows carry no quantity; the cart line with the same variant does (cart.items).
const LINE_LOOKUP =
  "{% assign cb_qty = 1 %}{% assign cb_line = item.PriceMinor %}{% for cb_l in cart.items %}{% if cb_l.variant_id == item.Identity %}{% assign cb_qty = cb_l.quantity %}{% assign cb_line = cb_l.line_price %}{% break %}{% endif %}{% endfor %}";

function itemCells(b: BlockOf<"cartItems">): string {
  const c = b.columns;
  const image = c.image
    ? `<td class="item-image" width="64" style="width: 64px; padding: 12px 12px 12px 0; vertical-align: top;">{% if item.ImageURL %}<img src="{{ item.ImageURL | img_url: '160x' }}" width="64" alt="{{ item.Name }}" style="display: block; width: 64px; height: auto; border: 0; border-radius: 6px;">{% else %}<div style="width: 64px; height: 64px; line-height: 64px; background-color: #e4e4e7; color: #71717a; font-size: 11px; text-align: center; border-radius: 6px;">No image</div>{% endif %}</td>`
    : "";
  const details = [
    c.name ? `<a class="product-link" href="{{ item.ProductURL | default: recovery_url }}" style="color: inherit; text-decoration: none; font-weight: 600;">{{ item.Name }}</a>` : "",
    c.variant ? "{% if item.SKU %}<br><span style=\"font-size: 13px; color: #71717a;\">SKU {{ item.SKU }}</span>{% endif %}" : "",
    c.quantity ? '<br><span style="font-size: 13px; color: #71717a;">Quantity: {{ cb_qty }}</span>' : "",
    b.unavailable === "mark" ? `{% if item.Available == false %}<br><span class="sold-out" style="font-size: 13px; font-weight: 600; color: #b91c1c;">${escapeText(b.soldOutLabel)}</span>{% endif %}` : "",
  ].join("");
  const detailCell = details ? `<td class="item-details" style="padding: 12px 0; vertical-align: top; font-size: 15px; line-height: 22px; word-break: break-word;">${details}</td>` : "";
  const prices = [
    c.price ? "{{ item.Price | money }}" : "",
    c.price && c.lineTotal ? "<br>" : "",
    c.lineTotal ? `<span style="font-weight: 700;">{{ cb_line | money }}</span>` : "",
  ].join("");
  const priceCell = prices ? `<td class="item-price" style="padding: 12px 0 12px 12px; vertical-align: top; text-align: right; font-size: 15px; white-space: nowrap;">${prices}</td>` : "";
  return image + detailCell + priceCell;
}

/**
 * A loop over the mapped catalog's rows in cart order. Up to `maxRows` rows show; the rest are
 * counted into "and N more". Hidden sold-out rows count in neither. The loop never fails the
 * email: a cart whose rows are all gone shows no rows and the rest of the email still renders.
 */
export function cartItems(b: BlockOf<"cartItems">, mapping: CatalogRef): string {
  const skip = b.unavailable === "hide" ? "{% if item.Available == false %}{% continue %}{% endif %}" : "";
  const needsLine = b.columns.quantity || b.columns.lineTotal;
  const loop =
    `{% assign cb_shown = 0 %}{% assign cb_more = 0 %}{% for item in ${catalogExpression(mapping)} %}${skip}` +
    `{% if cb_shown >= ${b.maxRows} %}{% assign cb_more = cb_more | plus: 1 %}{% continue %}{% endif %}{% assign cb_shown = cb_shown | plus: 1 %}` +
    `${needsLine ? LINE_LOOKUP : ""}\n<tr class="item" style="border-top: 1px solid #e4e4e7;">${itemCells(b)}</tr>\n{% endfor %}` +
    `{% if cb_more > 0 %}<tr><td colspan="3" class="more" style="padding: 12px 0; font-size: 14px; color: #71717a;">and {{ cb_more }} more</td></tr>{% endif %}`;
  const table = `<table role="presentation" class="cart-items" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse: collapse;">\n${loop}\n</table>`;
  return row(table, "padding: 8px 24px;", "block cart");
}

export function restoreCart(b: BlockOf<"restoreCart">): string {
  return row(button("{{ recovery_url }}", compileText(b.label), b.color, b.textColor, b.align), `padding: 16px 24px; text-align: ${b.align};`);
}

export function discount(b: BlockOf<"discount">): string {
  const text = b.text.trim() ? `<p style="margin: 0 0 8px 0; font-size: 16px; line-height: 24px;">${compileText(b.text)}</p>` : "";
  const code = `<div class="discount-code" style="display: inline-block; padding: 10px 20px; border: 2px dashed #a1a1aa; font-family: 'Courier New', Courier, monospace; font-size: 20px; font-weight: 700; letter-spacing: 2px;">${escapeText(b.code)}</div>`;
  return row(text + code, "padding: 16px 24px; text-align: center;");
}
