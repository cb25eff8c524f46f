import { campaignSends, type Db, revenueClicks } from "@cartback/db";
import { and, eq, sql } from "drizzle-orm";
import { discountLandingUrl } from "@cartback/core/campaign/discount";
import { loadShopContext } from "../campaigns/shop-context.ts";
import { type ClickLink, isShopUrl, shopOrigins, verifyClickLink } from "./links.ts";

export type ClickOutcome =
  | { type: "redirect"; url: string; recorded: boolean }
  | { type: "invalid" }
  | { type: "expired"; shopUrl: string }
  /** Signed by us, but the target is not on the shop's domains (any more): never followed. */
  | { type: "off_shop"; shopUrl: string };

/**
 * Follows a click link: verify, check the target against the shop's domains as they are now,
 * record the click (scoped by the token's shop: a send of another shop is never credited),
 * and hand back where to go. A click of a send that no longer exists (redacted) still lands.
 */
export async function followClick(db: Db, secret: string, token: string, now: Date): Promise<ClickOutcome> {
  const verified = verifyClickLink(secret, token, now);
  if (verified.type === "invalid") return { type: "invalid" };
  const { link } = verified;
  const shop = await loadShopContext(db, link.shop);
  const home = `https://${link.shop}`;
  if (verified.type === "expired") return { type: "expired", shopUrl: home };
  if (!isShopUrl(link.url, shopOrigins(link.shop, shop.storefrontOrigin))) return { type: "off_shop", shopUrl: home };
  const recorded = await recordClick(db, link, now);
  return { type: "redirect", url: await withDiscount(db, link), recorded };
}

/**
 * The restore link of an email whose code Shopify holds lands on Shopify's shareable discount
 * URL of the same origin (/discount/<code>?redirect=<the cart permalink>), so the code is
 * applied. Looked up at click time: an email sent without its code never names one.
 */
async function withDiscount(db: Db, link: ClickLink): Promise<string> {
  if (link.kind !== "recovery") return link.url;
  const [send] = await db
    .select({ code: campaignSends.discountCode })
    .from(campaignSends)
    .where(and(eq(campaignSends.shop, link.shop), eq(campaignSends.id, link.sendId)));
  return (send?.code && discountLandingUrl(link.url, send.code)) || link.url;
}

export async function recordClick(db: Db, link: ClickLink, now: Date): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [send] = await tx
      .select({ campaignId: campaignSends.campaignId, episodeId: campaignSends.episodeId })
      .from(campaignSends)
      .where(and(eq(campaignSends.shop, link.shop), eq(campaignSends.id, link.sendId)));
    if (!send) return false;
    // Serializes two clicks of one episode, so exactly one of them is its first.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`click:${send.episodeId}`}))`);
    const [earlier] = await tx.select({ id: revenueClicks.id }).from(revenueClicks).where(eq(revenueClicks.episodeId, send.episodeId)).limit(1);
    await tx.insert(revenueClicks).values({ shop: link.shop, sendId: link.sendId, campaignId: send.campaignId, episodeId: send.episodeId, kind: link.kind, url: link.url, first: !earlier, at: now });
    return true;
  });
}
