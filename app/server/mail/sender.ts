import type { Db } from "@cartback/db";
import type { SenderSettings } from "../campaigns/shop-context.ts";
import { loadShopContext } from "../campaigns/shop-context.ts";

export type SenderSource = "settings" | "MAIL_FROM" | "shop_contact_email";

export type ResolvedSender =
  | { type: "ok"; from: { name: string | null; address: string }; source: SenderSource }
  | { type: "no_sender"; message: string };

export interface SenderFacts {
  shopName: string;
  sender: SenderSettings;
  /** MAIL_FROM, the operator's default for every shop. */
  mailFrom: string | undefined;
  /** The store's public contact email, read from Shopify. */
  contactEmail: string | null;
}

export const NO_SENDER_MESSAGE =
  "Set a sender email: Settings → Sender (or MAIL_FROM). Shopify gave no contact email for this store, so nothing is sent until one is set.";

function parseFrom(value: string | undefined): { name: string | null; address: string } | null {
  if (!value?.trim()) return null;
  const angled = /^\s*"?([^"<]*)"?\s*<([^>]+)>\s*$/.exec(value);
  if (angled) return { name: angled[1]!.trim() || null, address: angled[2]!.trim() };
  return { name: null, address: value.trim() };
}

/**
 * Who an email is from: the shop's own sender, else MAIL_FROM, else the store's contact email.
 * Never an address made up from the app's host (`no-reply@127.0.0.1` reaches nobody and fails
 * every SPF check): with none of the three, the answer is `no_sender` and nothing is sent.
 */
export function resolveSender(facts: SenderFacts): ResolvedSender {
  if (facts.sender.fromAddress) {
    return { type: "ok", from: { name: facts.sender.fromName ?? facts.shopName, address: facts.sender.fromAddress }, source: "settings" };
  }
  const operator = parseFrom(facts.mailFrom);
  if (operator) return { type: "ok", from: operator, source: "MAIL_FROM" };
  if (facts.contactEmail) {
    return { type: "ok", from: { name: facts.sender.fromName ?? facts.shopName, address: facts.contactEmail }, source: "shop_contact_email" };
  }
  return { type: "no_sender", message: NO_SENDER_MESSAGE };
}

/** For the Dashboard: null when emails have a sender, else the notice to show ("Set a sender email"). */
export async function senderNotice(db: Db, shop: string, mailFrom: string | undefined): Promise<string | null> {
  const ctx = await loadShopContext(db, shop);
  const resolved = resolveSender({ shopName: ctx.name, sender: ctx.sender, mailFrom, contactEmail: ctx.contactEmail });
  return resolved.type === "no_sender" ? resolved.message : null;
}
