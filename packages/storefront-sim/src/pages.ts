import type { Catalog, SimProduct } from "./catalog.ts";
import { THEME_SCRIPT } from "./theme-script.ts";

export interface PageContext {
  shop: string;
  root: string;
  customer: { id: string; email: string } | null;
  consent: { analytics: boolean; marketing: boolean };
  embed: string;
  currency: string;
  /** Show Shopify's cookie banner (the visitor has not answered yet). */
  consentBanner?: boolean;
  /** A line at the top of every page (the demo says what to try). */
  notice?: string | null;
}

export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

export function money(minor: number, currency: string): string {
  return `${(minor / 100).toFixed(2)} ${currency}`;
}

/** Shopify's globals as a theme sees them, with a Customer Privacy API the tests can drive. */
function shopifyGlobals(ctx: PageContext): string {
  const state = JSON.stringify(ctx.consent);
  return `<script>
window.Shopify = { shop: ${JSON.stringify(ctx.shop)}, currency: { active: ${JSON.stringify(ctx.currency)} }, routes: { root: ${JSON.stringify(ctx.root)} } };
(function () {
  var consent = ${state};
  Shopify.customerPrivacy = {
    analyticsProcessingAllowed: function () { return consent.analytics; },
    marketingAllowed: function () { return consent.marketing; },
    setTrackingConsent: function (v, cb) {
      consent = { analytics: !!v.analytics, marketing: !!v.marketing };
      document.cookie = "_tracking_consent=" + encodeURIComponent(JSON.stringify(consent)) + "; path=/";
      document.dispatchEvent(new CustomEvent("visitorConsentCollected", { detail: { analyticsAllowed: consent.analytics, marketingAllowed: consent.marketing } }));
      if (cb) cb();
    }
  };
})();
</script>`;
}

/** The consent banner a theme shows until the visitor answers; it calls the Customer Privacy API. */
function consentBanner(): string {
  return `<div id="shopify-pc__banner" role="dialog" aria-label="Cookie consent" style="position:fixed;bottom:0;left:0;right:0;padding:12px;background:#222;color:#fff">
This store uses cookies to remember your cart and to remind you of it by email.
<button type="button" id="consent-accept">Accept</button> <button type="button" id="consent-decline">Decline</button>
<script>
(function () {
  function answer(yes) {
    Shopify.customerPrivacy.setTrackingConsent({ analytics: yes, marketing: yes }, function () { document.getElementById("shopify-pc__banner").remove(); });
  }
  document.getElementById("consent-accept").addEventListener("click", function () { answer(true); });
  document.getElementById("consent-decline").addEventListener("click", function () { answer(false); });
})();
</script></div>`;
}

export function layout(ctx: PageContext, title: string, main: string): string {
  const account = ctx.customer
    ? `<span id="customer">${escapeHtml(ctx.customer.email)}</span> <a href="/account/logout">Log out</a>`
    : `<a href="/account/login">Log in</a>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>${shopifyGlobals(ctx)}</head>
<body>
${ctx.notice ? `<p id="notice">${escapeHtml(ctx.notice)}</p>` : ""}
<header><a href="${ctx.root}">Home</a> · <a href="${ctx.root}cart">Cart (<span id="cart-count">0</span>)</a> · ${account}</header>
<main>${main}</main>
<aside><h2>Cart</h2><ul id="cart-drawer"></ul></aside>
<script>${THEME_SCRIPT}</script>
${ctx.embed}
${ctx.consentBanner ? consentBanner() : ""}
</body></html>`;
}

export function homePage(ctx: PageContext, catalog: Catalog): string {
  const items = catalog.products
    .slice(0, 50)
    .map((p) => `<li><a href="${ctx.root}products/${p.handle}">${p.image ? `<img src="${escapeHtml(p.image)}" alt="" width="120" height="120"><br>` : ""}${escapeHtml(p.title)}</a></li>`)
    .join("");
  return layout(ctx, ctx.shop, `<h1>${escapeHtml(ctx.shop)}</h1><ul>${items}</ul>`);
}

export function productPage(ctx: PageContext, product: SimProduct): string {
  const options = product.variants
    .map((v) => `<option value="${v.id}"${v.available ? "" : " disabled"}>${escapeHtml(v.title)} — ${money(v.price, ctx.currency)}</option>`)
    .join("");
  const image = product.image ? `<img src="${escapeHtml(product.image)}" alt="" width="200">` : "";
  return layout(
    ctx,
    product.title,
    `<h1>${escapeHtml(product.title)}</h1>${image}
<form method="post" action="${ctx.root}cart/add" id="product-form">
  <select name="id">${options}</select>
  <input name="quantity" type="number" value="1" min="1">
  <button type="submit" id="add-form">Add to cart</button>
  <button type="button" data-add-via="fetch" id="add-fetch">Quick add</button>
  <button type="button" data-add-via="xhr" id="add-xhr">Quick add (legacy)</button>
</form>`,
  );
}

export function cartPage(ctx: PageContext, cart: Record<string, unknown>): string {
  const items = (cart.items as Array<Record<string, unknown>>)
    .map(
      (item, i) =>
        `<tr><td>${escapeHtml(String(item.title))}</td><td>${item.quantity}</td><td>${money(Number(item.line_price), ctx.currency)}</td>` +
        `<td><a href="${ctx.root}cart/change?line=${i + 1}&quantity=0">Remove</a></td></tr>`,
    )
    .join("");
  return layout(ctx, "Your cart", `<h1>Your cart</h1><table id="cart-table">${items}</table><p>Total: ${money(Number(cart.total_price), ctx.currency)}</p>${items ? checkoutForm(ctx) : ""}`);
}

/** The cart page's checkout form: the logged-in customer's email, else a field for one. */
export function checkoutForm(ctx: PageContext): string {
  const contact = ctx.customer
    ? `<p>Checking out as ${escapeHtml(ctx.customer.email)}</p>`
    : `<label>Email <input type="email" name="email" id="checkout-email" autocomplete="email" required></label>`;
  return `<form method="post" action="${ctx.root}checkout" id="checkout-form">${contact}<button type="submit" id="checkout-submit">Pay now</button></form>`;
}
