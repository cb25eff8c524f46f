/**
 * Which email, if any, an order is credited to. Pure: the server gathers the ordering
 * profile's sends, clicks and holdout decisions around the order and applies the result.
 *
 * Rules, in order (the first that matches decides, so an order is credited at most once):
 * 0. `discount_code`: the order used the single-use code an email carried — the strongest
 *    evidence there is, whoever placed the order and however long after (the code expires).
 * 1. `cart_token` / `checkout_token`: the order was placed from a cart or checkout the
 *    shopper already had when an email went out (the token was seen before the send) —
 *    the emailed cart itself was bought. The latest such send before the order wins.
 * 2. `click`: the order follows a click from an email of this shopper within the
 *    attribution window (last touch: the latest click wins).
 * Separately, `exposure` places the order beside the episode it followed for the holdout
 * comparison: the latest email or holdout decision within the window, credited or not.
 */
export type AttributionRule = "discount_code" | "cart_token" | "checkout_token" | "click";
export type Exposure = "emailed" | "holdout";

export interface SentEmail {
  sendId: string;
  episodeId: string;
  campaignId: string;
  sentAt: Date;
}

export interface Click {
  sendId: string;
  episodeId: string;
  campaignId: string;
  at: Date;
}

export interface HoldoutDecision {
  episodeId: string;
  campaignId: string;
  at: Date;
}

export interface AttributionInput {
  orderedAt: Date;
  /** When the order's cart / checkout token was first seen on this shopper, null if never before the order. */
  cartTokenSeenAt: Date | null;
  checkoutTokenSeenAt: Date | null;
  sends: SentEmail[];
  clicks: Click[];
  holdouts: HoldoutDecision[];
  /** Sent emails whose discount code the order carries (any shopper of the shop: codes are per email). */
  codeSends?: SentEmail[];
  windowMs: number;
}

export interface Credit {
  rule: AttributionRule;
  sendId: string;
  episodeId: string;
  campaignId: string;
}

export interface Attribution {
  credit: Credit | null;
  exposure: { type: Exposure; episodeId: string; campaignId: string } | null;
}

const latest = <T>(items: T[], time: (item: T) => Date): T | null =>
  items.reduce<T | null>((best, item) => (best === null || time(item).getTime() > time(best).getTime() ? item : best), null);

export function attributeOrder(input: AttributionInput): Attribution {
  const at = input.orderedAt.getTime();
  const before = (d: Date) => d.getTime() <= at;
  const inWindow = (d: Date) => before(d) && d.getTime() >= at - input.windowMs;
  const credit = codeCredit(input, before) ?? tokenCredit(input, before) ?? clickCredit(input, inWindow);
  if (credit) return { credit, exposure: { type: "emailed", episodeId: credit.episodeId, campaignId: credit.campaignId } };
  const email = latest(input.sends.filter((s) => inWindow(s.sentAt)), (s) => s.sentAt);
  const holdout = latest(input.holdouts.filter((h) => inWindow(h.at)), (h) => h.at);
  if (!email && !holdout) return { credit: null, exposure: null };
  if (holdout && (!email || holdout.at.getTime() > email.sentAt.getTime())) {
    return { credit: null, exposure: { type: "holdout", episodeId: holdout.episodeId, campaignId: holdout.campaignId } };
  }
  return { credit: null, exposure: { type: "emailed", episodeId: email!.episodeId, campaignId: email!.campaignId } };
}

function codeCredit(input: AttributionInput, before: (d: Date) => boolean): Credit | null {
  const send = latest((input.codeSends ?? []).filter((s) => before(s.sentAt)), (s) => s.sentAt);
  return send ? { rule: "discount_code", sendId: send.sendId, episodeId: send.episodeId, campaignId: send.campaignId } : null;
}

function tokenCredit(input: AttributionInput, before: (d: Date) => boolean): Credit | null {
  for (const [rule, seenAt] of [["cart_token", input.cartTokenSeenAt], ["checkout_token", input.checkoutTokenSeenAt]] as const) {
    if (!seenAt) continue;
    const send = latest(input.sends.filter((s) => before(s.sentAt) && seenAt.getTime() <= s.sentAt.getTime()), (s) => s.sentAt);
    if (send) return { rule, sendId: send.sendId, episodeId: send.episodeId, campaignId: send.campaignId };
  }
  return null;
}

function clickCredit(input: AttributionInput, inWindow: (d: Date) => boolean): Credit | null {
  const click = latest(input.clicks.filter((c) => inWindow(c.at)), (c) => c.at);
  return click ? { rule: "click", sendId: click.sendId, episodeId: click.episodeId, campaignId: click.campaignId } : null;
}
