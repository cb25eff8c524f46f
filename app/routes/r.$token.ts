import type { LoaderFunctionArgs } from "@remix-run/node";
import { followClick } from "../server/revenue/clicks.ts";

// The click redirect of campaign emails (app/server/revenue/links.ts): a signed, expiring
// token names the send and the target; the click is recorded, then a 302 to the shop.
// Refusals are a small page, never a redirect: a bad token has no trustworthy target.

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(status: number, title: string, body: string) {
  const html = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#202223}</style></head>
<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
  return new Response(html, { status, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } });
}

export async function loader({ params, context }: LoaderFunctionArgs) {
  const { runtime } = context;
  const outcome = await followClick(runtime.database.db, runtime.appSecret, params.token ?? "", new Date());
  switch (outcome.type) {
    case "redirect":
      return new Response(null, { status: 302, headers: { Location: outcome.url, "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" } });
    case "invalid":
      return page(400, "This link is not valid", "<p>The link is incomplete or was altered. Use the link from the email as it arrived.</p>");
    case "expired":
      return page(410, "This link has expired", `<p>Your cart link is too old to restore the cart. You can still visit <a href="${escapeHtml(outcome.shopUrl)}">the shop</a>.</p>`);
    case "off_shop":
      return page(400, "This link is not valid", `<p>The link does not lead to the shop any more. You can still visit <a href="${escapeHtml(outcome.shopUrl)}">the shop</a>.</p>`);
    default: {
      const unreachable: never = outcome;
      throw new Error(`unknown click outcome ${JSON.stringify(unreachable)}`);
    }
  }
}
