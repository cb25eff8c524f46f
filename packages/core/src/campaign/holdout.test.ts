import { describe, expect, it } from "vitest";
import { Campaign, defaultCampaign } from "./campaign.ts";
import { isHeldOut } from "./holdout.ts";
import { decide } from "./rules.ts";
import { testProfile } from "./testing.ts";

describe("holdout", () => {
  it("holds out 10 % of 10,000 episodes, within 3 standard deviations (±0.9 points)", () => {
    let held = 0;
    for (let i = 0; i < 10_000; i++) if (isHeldOut("hats.myshopify.com", "campaign-1", `episode-${i}`, 10)) held++;
    // Binomial(10,000, 0.1): sd = 30, so 3 sd is 90 episodes.
    expect(Math.abs(held - 1_000)).toBeLessThanOrEqual(90);
  });

  it("holds out nobody at 0 % and puts an episode in the same group every time", () => {
    for (let i = 0; i < 1_000; i++) expect(isHeldOut("s", "c", `e${i}`, 0)).toBe(false);
    const groups = Array.from({ length: 200 }, (_, i) => isHeldOut("s", "c", `e${i}`, 25));
    expect(Array.from({ length: 200 }, (_, i) => isHeldOut("s", "c", `e${i}`, 25))).toEqual(groups);
  });

  it("depends on the campaign: another campaign holds out other episodes", () => {
    const a = Array.from({ length: 2_000 }, (_, i) => isHeldOut("s", "a", `e${i}`, 10));
    const b = Array.from({ length: 2_000 }, (_, i) => isHeldOut("s", "b", `e${i}`, 10));
    expect(a.filter((x, i) => x && b[i]).length).toBeLessThan(60);
  });

  it("decides a held-out first step as a holdout skip that ends the episode, and later steps normally", () => {
    const base = defaultCampaign("c1", "s");
    const campaign = Campaign.parse({ ...base, settings: { ...base.settings, holdoutPercent: 50 } });
    const now = new Date("2026-12-01T12:00:00Z");
    const input = (id: string, nextStep = 0) => ({
      now, campaign, episode: { id, startedAt: new Date(now.getTime() - 3600_000), nextStep }, profile: testProfile(),
      shopTimezone: "UTC", suppressed: false, recentSends: 0, stepAlreadySent: false, shopUninstalled: false, newRecipientHeld: false,
    });
    const ids = Array.from({ length: 40 }, (_, i) => `e${i}`);
    const held = ids.filter((id) => isHeldOut("s", "c1", id, 50));
    expect(held.length).toBeGreaterThan(0);
    for (const id of held) expect(decide(input(id))).toEqual({ type: "skip", step: 0, reason: "holdout", close: "holdout" });
    for (const id of ids.filter((id) => !held.includes(id))) expect(decide(input(id)).type).toBe("send");
    expect(decide({ ...input(held[0]!), campaign: base }).type).toBe("send");
  });
});
