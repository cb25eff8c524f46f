import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { suppress } from "../server/campaigns/suppressions.ts";
import { problem } from "../server/http.ts";
import { readFormBody } from "../server/http-body.ts";
import { maskEmail } from "../server/logger.ts";
import { verifyUnsubscribeToken } from "../server/mail/unsubscribe.ts";
import { findShop } from "../server/shops/lookup.ts";

// GET shows a confirmation page and changes nothing: mail scanners follow links (RFC 8058).
// POST unsubscribes: the mail client's one-click (body "List-Unsubscribe=One-Click") or the
// page's button. Suppression is idempotent, so repeated clicks are harmless.

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string, status = 200) {
  const html = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#202223}button{font:inherit;padding:.6rem 1.2rem;border-radius:.4rem;border:0;background:#202223;color:#fff;cursor:pointer}</style></head>
<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
  return new Response(html, { status, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } });
}

/** The store's name as its emails sign with it; the shop's domain when it has none (or has uninstalled). */
async function storeName(context: LoaderFunctionArgs["context"], shop: string): Promise<string> {
  const row = await findShop(context.runtime.database.db, shop);
  return row?.name?.trim() || shop;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("t") ?? "";
  const verified = verifyUnsubscribeToken(context.runtime.appSecret, token);
  if (verified.type === "invalid") return page("This link is not valid", "<p>The unsubscribe link is incomplete or was altered. Use the link from the latest email.</p>", 400);
  return page(
    "Unsubscribe",
    `<p>Stop cart reminder emails from <strong>${escapeHtml(await storeName(context, verified.shop))}</strong> to ${escapeHtml(maskEmail(verified.email))}?</p>
<form method="post" action="?t=${encodeURIComponent(token)}"><button type="submit">Unsubscribe</button></form>`,
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return problem(405, "method_not_allowed", "use POST to unsubscribe");
  const query = new URL(request.url).searchParams.get("t");
  let token = query;
  if (!token) {
    const body = await readFormBody(request);
    if (body.type === "too_large") return problem(413, "body_too_large", `the form is over ${body.limit} bytes`);
    const field = body.type === "ok" ? body.form.get("t") : null;
    token = typeof field === "string" ? field : null;
  }
  if (!token) return problem(400, "missing_token", "the unsubscribe token is missing", "t");
  const verified = verifyUnsubscribeToken(context.runtime.appSecret, token);
  if (verified.type === "invalid") return problem(400, "invalid_token", "the unsubscribe token is not valid", "t");
  await suppress(context.runtime.database.db, verified.shop, verified.email, "unsubscribed", "list-unsubscribe");
  context.runtime.logger.info({ shop: verified.shop }, "address unsubscribed");
  if ((request.headers.get("accept") ?? "").includes("text/html")) {
    return page("You are unsubscribed", `<p>${escapeHtml(maskEmail(verified.email))} will get no more cart reminders from <strong>${escapeHtml(await storeName(context, verified.shop))}</strong>.</p>`);
  }
  return new Response("unsubscribed\n", { status: 200, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}
