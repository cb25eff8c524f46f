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

export async function resultsFigures(shop: E2eShop): Promise<ResultsFigures> {
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
