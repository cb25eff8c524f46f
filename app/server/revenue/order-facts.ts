import { type ChargedAmount, type ChargedMoney, chargedAmount } from "@cartback/core/events/charged-amount";
import type { AttributionInput } from "@cartback/core/revenue/attribution";
import { type Db, campaignDecisions, campaignSends, profileEvents, revenueClicks } from "@cartback/db";
import { and, asc, desc, eq, gte, inArray, isNotNull, lte, sql } from "drizzle-orm";
import { DAY_MS } from "./settings.ts";

/** How far back an order's sends and clicks are read: past the longest window and max age. */
const LOOKBACK_MS = 60 * DAY_MS;

export interface OrderFacts {
  input: Omit<AttributionInput, "windowMs">;
  amount: ChargedAmount;
}

/**
 * What the attribution rule needs about one order, read from the shop's own records: the
 * order's Charged event (amount, currency, tokens), when its tokens were first seen on this
 * shopper, and the shopper's sends, clicks and holdout decisions before it. Every read is
 * scoped by shop and profile and served by an index.
 */
export async function loadAttributionInput(tx: Db, shop: string, profileId: string, orderId: string, orderedAt: Date): Promise<OrderFacts> {
  const since = new Date(orderedAt.getTime() - LOOKBACK_MS);
  const [charged] = await tx
    .select({ body: profileEvents.body })
    .from(profileEvents)
    .where(and(eq(profileEvents.shop, shop), eq(profileEvents.profileId, profileId), eq(profileEvents.name, "Charged"), sql`${profileEvents.body}->>'orderId' = ${orderId}`))
    // The webhook's total wins over a pixel's when both reported the order.
    .orderBy(sql`(${profileEvents.body}->>'total') is null`, desc(profileEvents.source))
    .limit(1);
  const body = (charged?.body ?? {}) as ChargedMoney & { identifiers?: { cartToken?: string; checkoutToken?: string }; discountCodes?: string[] };
  const sends = await tx
    .select({ sendId: campaignSends.id, episodeId: campaignSends.episodeId, campaignId: campaignSends.campaignId, sentAt: campaignSends.sentAt })
    .from(campaignSends)
    .where(and(eq(campaignSends.shop, shop), eq(campaignSends.profileId, profileId), gte(campaignSends.createdAt, since), lte(campaignSends.createdAt, orderedAt), eq(campaignSends.status, "sent"), isNotNull(campaignSends.sentAt)));
  const clicks = await tx
    .select({ sendId: revenueClicks.sendId, episodeId: revenueClicks.episodeId, campaignId: revenueClicks.campaignId, at: revenueClicks.at })
    .from(revenueClicks)
    .innerJoin(campaignSends, eq(campaignSends.id, revenueClicks.sendId))
    .where(and(eq(campaignSends.shop, shop), eq(campaignSends.profileId, profileId), gte(campaignSends.createdAt, since), gte(revenueClicks.at, since), lte(revenueClicks.at, orderedAt)));
  const holdouts = await tx
    .select({ episodeId: campaignDecisions.episodeId, campaignId: campaignDecisions.campaignId, at: campaignDecisions.at })
    .from(campaignDecisions)
    .where(and(eq(campaignDecisions.shop, shop), eq(campaignDecisions.profileId, profileId), gte(campaignDecisions.at, since), lte(campaignDecisions.at, orderedAt), eq(campaignDecisions.reason, "holdout")));
  return {
    input: {
      orderedAt,
      cartTokenSeenAt: await tokenSeenAt(tx, shop, profileId, "cartToken", body.identifiers?.cartToken, orderedAt),
      checkoutTokenSeenAt: await tokenSeenAt(tx, shop, profileId, "checkoutToken", body.identifiers?.checkoutToken, orderedAt),
      sends: sends.map((s) => ({ ...s, sentAt: s.sentAt! })),
      clicks,
      holdouts,
      codeSends: await codeSends(tx, shop, body.discountCodes, orderedAt),
    },
    amount: chargedAmount(body),
  };
}

/** The first event of this shopper before the order that carried the token (the Charged itself excluded). */
async function tokenSeenAt(tx: Db, shop: string, profileId: string, kind: "cartToken" | "checkoutToken", token: string | undefined, orderedAt: Date): Promise<Date | null> {
  if (!token) return null;
  const [first] = await tx
    .select({ at: profileEvents.occurredAt })
    .from(profileEvents)
    .where(and(eq(profileEvents.shop, shop), eq(profileEvents.profileId, profileId), sql`${profileEvents.name} <> 'Charged'`, lte(profileEvents.occurredAt, orderedAt), sql`${profileEvents.body}->'identifiers'->>${kind} = ${token}`))
    .orderBy(asc(profileEvents.occurredAt))
    .limit(1);
  return first?.at ?? null;
}

/**
 * Sent emails of this shop whose code the order used. Shop-wide, not the ordering profile's:
 * a code is one email's, whoever redeems it. Codes compare without case, as Shopify's do.
 */
async function codeSends(tx: Db, shop: string, codes: string[] | undefined, orderedAt: Date) {
  if (!codes || codes.length === 0) return [];
  const wanted = [...new Set(codes.map((c) => c.toUpperCase()))].slice(0, 50);
  const rows = await tx
    .select({ sendId: campaignSends.id, episodeId: campaignSends.episodeId, campaignId: campaignSends.campaignId, sentAt: campaignSends.sentAt })
    .from(campaignSends)
    .where(and(eq(campaignSends.shop, shop), inArray(campaignSends.discountCode, wanted), eq(campaignSends.status, "sent"), lte(campaignSends.sentAt, orderedAt)));
  return rows.map((r) => ({ ...r, sentAt: r.sentAt! }));
}
