import { describe, expect, it } from "vitest";
import { type DecisionInput, HOLD_MS, decide, parkedUntil, retryStillWanted } from "./rules.ts";
import { testCampaign, testProfile } from "./testing.ts";

const started = new Date("2026-01-01T10:00:00Z");
const due = new Date("2026-01-01T10:15:00Z");

function input(overrides: Partial<DecisionInput> = {}): DecisionInput {
  return {
    now: due,
    campaign: testCampaign(),
    episode: { startedAt: started, nextStep: 0 },
    profile: testProfile(),
    shopTimezone: "UTC",
    suppressed: false,
    recentSends: 0,
    stepAlreadySent: false,
    shopUninstalled: false,
    newRecipientHeld: false,
    ...overrides,
  };
}

describe("decide", () => {
  it("sends a due step to a consenting shopper with a non-empty cart", () => {
    expect(decide(input())).toEqual({ type: "send", step: 0, email: "jane@example.com", emptyCart: false });
  });

  it("skips and ends the episode when the campaign was turned off", () => {
    expect(decide(input({ campaign: testCampaign({ active: false }) }))).toMatchObject({ type: "skip", reason: "campaign_inactive", close: "campaign_inactive" });
  });

  it("never sends the same step twice (already_sent moves on without ending)", () => {
    expect(decide(input({ stepAlreadySent: true }))).toMatchObject({ type: "skip", reason: "already_sent", close: null });
  });

  it("ends an episode older than its max age", () => {
    const now = new Date(started.getTime() + 7 * 86_400_000 + 1);
    expect(decide(input({ now }))).toMatchObject({ type: "skip", reason: "max_age", close: "max_age" });
  });

  it("ends the episode when the profile is gone", () => {
    expect(decide(input({ profile: null }))).toMatchObject({ reason: "profile_missing", close: "profile_missing" });
  });

  it("skips after a purchase made since the episode began", () => {
    const profile = testProfile({ charges: [{ orderId: "1", at: new Date("2026-01-01T10:05:00Z"), cartToken: null, checkoutToken: null }] });
    expect(decide(input({ profile }))).toMatchObject({ reason: "purchased", close: "purchased" });
  });

  it("treats an order for this cart token stamped slightly before the episode as this cart's purchase", () => {
    const profile = testProfile({ charges: [{ orderId: "1", at: new Date("2026-01-01T09:58:00Z"), cartToken: "c1-abc", checkoutToken: null }] });
    expect(decide(input({ profile }))).toMatchObject({ reason: "purchased" });
  });

  it("ignores an earlier purchase of another cart", () => {
    const profile = testProfile({ charges: [{ orderId: "1", at: new Date("2025-12-01T09:00:00Z"), cartToken: "c1-old", checkoutToken: null }] });
    expect(decide(input({ profile }))).toMatchObject({ type: "send" });
  });

  it("skips an emptied cart by default and sends the fallback when configured", () => {
    const profile = testProfile({ cart: [] });
    expect(decide(input({ profile }))).toMatchObject({ reason: "cart_empty", close: "cart_emptied" });
    const campaign = testCampaign({ settings: { emptyCart: "send_fallback" } });
    expect(decide(input({ profile, campaign }))).toMatchObject({ type: "send", emptyCart: true });
  });

  it("waits for an email when none is known (late identity)", () => {
    expect(decide(input({ profile: testProfile({ email: null }) }))).toEqual({ type: "wait", step: 0, reason: "no_email" });
    expect(decide(input({ profile: testProfile({ email: "not-an-email" }) }))).toMatchObject({ type: "wait", reason: "no_email" });
  });

  it("skips a suppressed address and ends the episode", () => {
    expect(decide(input({ suppressed: true }))).toMatchObject({ reason: "suppressed", close: "suppressed" });
  });

  it("waits for consent under each policy", () => {
    const notSubscribed = testProfile({ marketingConsent: "not_subscribed" });
    expect(decide(input({ profile: notSubscribed }))).toMatchObject({ type: "wait", reason: "no_consent" });
    const atCheckout = testProfile({ marketingConsent: "not_subscribed", acceptsMarketingAtCheckout: true });
    expect(decide(input({ profile: atCheckout }))).toMatchObject({ type: "send" });
    const strict = testCampaign({ settings: { consent: "marketing" } });
    expect(decide(input({ profile: atCheckout, campaign: strict }))).toMatchObject({ type: "wait", reason: "no_consent" });
    const anyKnown = testCampaign({ settings: { consent: "any_known" } });
    expect(decide(input({ profile: notSubscribed, campaign: anyKnown }))).toMatchObject({ type: "send" });
    const unsubscribed = testProfile({ marketingConsent: "unsubscribed", acceptsMarketingAtCheckout: true });
    expect(decide(input({ profile: unsubscribed, campaign: anyKnown }))).toMatchObject({ reason: "no_consent" });
  });

  it("defers a step held by the frequency cap to the moment the window slides past the oldest email that still counts", () => {
    const campaign = testCampaign({ settings: { frequencyCap: { count: 2, windowMs: 86_400_000 } } });
    const at = (iso: string) => new Date(iso);
    expect(decide(input({ campaign, recentSends: 1, recentSendTimes: [at("2026-01-01T09:00:00Z")] }))).toMatchObject({ type: "send" });
    // Two in the last day (yesterday 18:00 and today 09:00): the 2nd most recent leaves the window at today 18:00.
    const capped = decide(input({ campaign, recentSends: 2, recentSendTimes: [at("2026-01-01T09:00:00Z"), at("2025-12-31T18:00:00Z")] }));
    expect(capped).toEqual({ type: "defer", step: 0, reason: "frequency_cap", until: at("2026-01-01T18:00:00Z") });
    // At that time the cap lets it through: yesterday 18:00 no longer counts.
    expect(decide(input({ campaign, now: at("2026-01-01T18:00:00Z"), recentSends: 1, recentSendTimes: [at("2026-01-01T09:00:00Z")] }))).toMatchObject({ type: "send" });
  });

  it("counts the n-th most recent email for a cap of n, whatever order the times come in", () => {
    const campaign = testCampaign({ settings: { frequencyCap: { count: 1, windowMs: 3_600_000 } } });
    const times = [new Date("2026-01-01T09:30:00Z"), new Date("2026-01-01T10:05:00Z"), new Date("2026-01-01T09:50:00Z")];
    expect(decide(input({ campaign, recentSends: 3, recentSendTimes: times }))).toMatchObject({ type: "defer", reason: "frequency_cap", until: new Date("2026-01-01T11:05:00Z") });
  });

  it("without the emails' times, a capped step waits one whole window", () => {
    const campaign = testCampaign({ settings: { frequencyCap: { count: 1, windowMs: 3_600_000 } } });
    expect(decide(input({ campaign, recentSends: 1 }))).toEqual({ type: "defer", step: 0, reason: "frequency_cap", until: new Date(due.getTime() + 3_600_000) });
  });

  it("ends the episode with max_age when the cap frees the step only after the episode's max age", () => {
    const campaign = testCampaign({ settings: { maxAgeMs: 3_600_000, frequencyCap: { count: 1, windowMs: 86_400_000 } } });
    const decision = decide(input({ campaign, recentSends: 1, recentSendTimes: [new Date("2026-01-01T10:10:00Z")] }));
    expect(decision).toEqual({ type: "skip", step: 0, reason: "frequency_cap", close: "max_age" });
  });

  it("a capped step deferred into quiet hours waits for their end too", () => {
    const campaign = testCampaign({ settings: { frequencyCap: { count: 1, windowMs: 3_600_000 }, quietHours: { start: "11:00", end: "12:00", zone: "shop" } } });
    const capped = decide(input({ campaign, recentSends: 1, recentSendTimes: [new Date("2026-01-01T10:05:00Z")] }));
    expect(capped).toMatchObject({ type: "defer", reason: "frequency_cap", until: new Date("2026-01-01T11:05:00Z") });
    expect(decide(input({ campaign, now: new Date("2026-01-01T11:05:00Z"), recentSends: 0, recentSendTimes: [] }))).toMatchObject({ type: "defer", reason: "quiet_hours", until: new Date("2026-01-01T12:00:00Z") });
  });

  it("skips and ends the episode when another campaign already emailed this cart", () => {
    expect(decide(input({ otherCampaignEmailed: true }))).toEqual({ type: "skip", step: 0, reason: "cross_campaign_cap", close: "cross_campaign_cap" });
    // A purchase still comes first: the reason names what really stopped the email.
    const bought = testProfile({ charges: [{ at: due, cartToken: null, checkoutToken: null, orderId: "1" }] });
    expect(decide(input({ otherCampaignEmailed: true, profile: bought }))).toMatchObject({ reason: "purchased" });
  });

  it("defers to the end of quiet hours in the shop's time zone", () => {
    const campaign = testCampaign({ settings: { quietHours: { start: "21:00", end: "08:00", zone: "shop" } } });
    // 10:15 UTC is 02:15 in Los Angeles (PST): quiet until 08:00 local = 16:00 UTC.
    const decision = decide(input({ campaign, shopTimezone: "America/Los_Angeles" }));
    expect(decision).toEqual({ type: "defer", step: 0, reason: "quiet_hours", until: new Date("2026-01-01T16:00:00Z") });
    expect(decide(input({ campaign, shopTimezone: "Europe/Paris" }))).toMatchObject({ type: "send" });
  });

  it("uses the shopper's zone for quiet hours when asked and known", () => {
    const campaign = testCampaign({ settings: { quietHours: { start: "21:00", end: "08:00", zone: "profile" } } });
    const profile = testProfile({ timezone: "Asia/Tokyo" }); // 19:15 local: allowed
    expect(decide(input({ campaign, profile, shopTimezone: "America/Los_Angeles" }))).toMatchObject({ type: "send" });
    const unknownZone = testProfile({ timezone: null });
    expect(decide(input({ campaign, profile: unknownZone, shopTimezone: "America/Los_Angeles" }))).toMatchObject({ type: "defer" });
  });

  it("drops a deferral that would land past the max age", () => {
    const campaign = testCampaign({ settings: { maxAgeMs: 3_600_000, quietHours: { start: "00:00", end: "12:00", zone: "shop" } } });
    expect(decide(input({ campaign }))).toMatchObject({ type: "skip", reason: "max_age", close: "max_age" });
  });

  it("checks purchase before email, so a buyer is never asked for consent", () => {
    const profile = testProfile({ email: null, cart: [], charges: [{ orderId: "1", at: due, cartToken: null, checkoutToken: null }] });
    expect(decide(input({ profile }))).toMatchObject({ reason: "purchased" });
  });

  it("never sends for a shop that uninstalled Cartback, and ends the episode saying so", () => {
    expect(decide(input({ shopUninstalled: true }))).toEqual({ type: "skip", step: 0, reason: "shop_uninstalled", close: "shop_uninstalled" });
    // Before every other rule: even a step that would only wait or defer ends.
    expect(decide(input({ shopUninstalled: true, profile: testProfile({ email: null }) }))).toMatchObject({ reason: "shop_uninstalled" });
    const { campaign: _c, now, episode, profile, shopTimezone, suppressed } = input();
    expect(retryStillWanted({ now, campaign: testCampaign(), episode, profile, shopTimezone, suppressed, shopUninstalled: true })).toBe("shop_uninstalled");
    expect(retryStillWanted({ now, campaign: testCampaign(), episode, profile, shopTimezone, suppressed, shopUninstalled: false })).toBeNull();
  });

  it("holds a new recipient past the shop's hourly allowance, only when it would otherwise send", () => {
    expect(decide(input({ newRecipientHeld: true }))).toEqual({ type: "defer", step: 0, reason: "held_new_recipients", until: new Date(due.getTime() + HOLD_MS) });
    expect(decide(input({ newRecipientHeld: true, suppressed: true }))).toMatchObject({ reason: "suppressed" });
  });

  it("parks a waiting step until just past the episode's max age, where it ends", () => {
    const campaign = testCampaign();
    const until = parkedUntil(campaign, { startedAt: started });
    expect(until).toEqual(new Date(started.getTime() + campaign.settings.maxAgeMs + 1));
    expect(decide(input({ now: until, profile: testProfile({ email: null }) }))).toMatchObject({ reason: "max_age", close: "max_age" });
  });
});
