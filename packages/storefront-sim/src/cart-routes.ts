import type { Exchange } from "./exchange.ts";
import { cartPage } from "./pages.ts";
import { cartInput, readBody } from "./request.ts";
import { cartFromPermalink } from "./shopper-routes.ts";

type Input = Record<string, unknown>;

/** Shopify's Ajax Cart API (/cart.js, /cart/add|change|update|clear[.js]), the cart page and cart permalinks. */
export async function serveCart(x: Exchange): Promise<boolean> {
  const { carts } = x.sim;
  if (x.route === "/cart.js" || x.route === "/cart.json") {
    x.sendJson(200, carts.cartJson(x.ensureCart()));
    return true;
  }
  const mutation = /^\/cart\/(add|change|update|clear)(\.js)?$/.exec(x.route);
  if (mutation && (x.req.method === "POST" || (x.req.method === "GET" && mutation[1] === "change"))) {
    const input = await cartInput(x.req.headers["content-type"], await readBody(x.req), x.url.searchParams);
    mutate(x, mutation[1] as Kind, input, mutation[2] !== undefined);
    return true;
  }
  if (x.route === "/cart") {
    x.html(200, cartPage(x.page(), carts.cartJson(x.ensureCart())));
    return true;
  }
  const permalink = /^\/cart\/(\d+:\d+(?:,\d+:\d+)*)$/.exec(x.route);
  if (permalink && x.req.method === "GET") {
    rebuild(x, permalink[1]!);
    return true;
  }
  return false;
}

type Kind = "add" | "change" | "update" | "clear";

function mutate(x: Exchange, kind: Kind, input: Input, js: boolean) {
  const { carts } = x.sim;
  const target = x.ensureCart();
  // The .js endpoints answer JSON; a form post lands on the cart page.
  const done = (body: unknown) => (js ? x.sendJson(200, body) : x.redirect(`${x.root}cart`));
  const result = apply(x, kind, input);
  if (result.type === "error") return x.cartError(result.status, result.description);
  done(result.body ?? carts.cartJson(target));
}

type Applied = { type: "ok"; body?: unknown } | { type: "error"; status: number; description: string };

function apply(x: Exchange, kind: Kind, input: Input): Applied {
  const { carts } = x.sim;
  const target = x.ensureCart();
  switch (kind) {
    case "add": {
      const many = Array.isArray(input.items);
      const items = (many ? (input.items as Input[]) : [input]).map((i) => ({
        id: String(i.id),
        quantity: Number(i.quantity ?? 1),
        properties: i.properties as Record<string, string> | undefined,
      }));
      const result = carts.add(target, items);
      if (result.type === "error") return result;
      const lines = result.value.map((i) => carts.lineJson(target, i));
      return { type: "ok", body: many ? { items: lines } : lines[0] };
    }
    case "change": {
      const which = { id: input.id === undefined ? undefined : String(input.id), line: input.line === undefined ? undefined : Number(input.line) };
      const result = carts.change(target, which, Number(input.quantity));
      return result.type === "error" ? result : { type: "ok" };
    }
    case "update": {
      const updates = Object.fromEntries(Object.entries((input.updates as Input) ?? {}).map(([id, q]) => [id, Number(q)]));
      const result = carts.update(target, updates);
      return result.type === "error" ? result : { type: "ok" };
    }
    case "clear":
      carts.clear(target);
      return { type: "ok" };
  }
}

/** /cart/<variant>:<qty>,… as Shopify's permalinks: a new cart with those lines, then the cart page. */
function rebuild(x: Exchange, spec: string) {
  const rebuilt = cartFromPermalink(x.sim.carts, spec);
  if (rebuilt.type === "error") return x.cartError(422, rebuilt.description);
  x.cart = rebuilt.cart;
  // Shopify lands on the cart with `storefront=true` (else checkout; the sim has none) and keeps the query.
  const query = x.url.searchParams.toString();
  x.redirect(`${x.root}cart${query ? `?${query}` : ""}`, `cart=${x.sim.carts.cookieValue(rebuilt.cart)}; Path=/; SameSite=Lax; Max-Age=1209600`);
}
