import type { AppProcess } from "@cartback/testing";
import type { JourneyPlan } from "./journey-plan.ts";
import { profileText, type E2eShop } from "./shop.ts";

/** The Results page's figures as the merchant sees them (the server-rendered page, markup stripped). */
export interface ResultsFigures {
  status: number;
  netMinor: number;
  orders: number;
  clicks: number;
  sent: number;
  /** Held-out carts, from the holdout lift card ("held-out carts … (converted of episodes)"); null without one. */
  heldOut: number | null;
}

/**
 * Waits until the app has applied every webhook it acknowledged (/healthz: webhookInbox.waiting 0):
 * in a burst, orders are answered before the inbox applies them, and the Results page counts
 * only applied orders.
 */
export async function waitForInbox(shop: E2eShop, timeoutMs = 120_000): Promise<void> {
  let last = "";
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 500))) {
    last = await (await fetch(`${shop.app.url}/healthz`)).text();
    const inbox = (JSON.parse(last) as { webhookInbox?: { waiting: number } }).webhookInbox;
    if (!inbox || inbox.waiting === 0) return;
  }
  throw new Error(`the webhook inbox was not applied within ${timeoutMs / 1000} s: ${last.slice(0, 300)}`);
}

export async function resultsFigures(shop: E2eShop): Promise<ResultsFigures> {
  await waitForInbox(shop);
  const { status, html } = await shop.merchant.get("/app/results?days=7");
  const figure = (id: string) => Number(new RegExp(`data-figure="${id}">([^<]*)<`).exec(html)?.[1]?.replace(/\D/g, "") ?? Number.NaN);
  const text = html.replace(/<!--[\s\S]*?-->/g, "").replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
  const held = /held-out carts[^(]*\((\d+) of (\d+)\)/.exec(text);
  // Printed in the shop's money format: its digits are the net minor units.
  return { status, netMinor: figure("revenue"), orders: figure("orders"), clicks: figure("clicks"), sent: figure("sent"), heldOut: held ? Number(held[2]) : null };
}

/** Whether the shopper's profile in the admin shows a holdout decision. */
export function heldOutOn(shop: E2eShop): (email: string) => Promise<boolean> {
  return async (email) => /\bholdout\b/.test(await profileText(shop, email));
}

/** Emails the relay received for the journeys, one per Message-ID (a re-delivery of one send is one email sent). */
export function distinctEmails(app: AppProcess, plans: JourneyPlan[]): number {
  return new Set(plans.flatMap((p) => app.mail.to(p.shopper.email).map((m, i) => m.messageId ?? `${p.index}:${i}`))).size;
}
