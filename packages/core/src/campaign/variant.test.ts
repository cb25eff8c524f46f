import { describe, expect, it } from "vitest";
import { Campaign, CampaignStep, DURATION, defaultCampaign } from "./campaign.ts";
import { advance, onCartChanged } from "./episode.ts";
import { isHeldOut } from "./holdout.ts";
import { campaignForVariant, stepVariant, variantWaitsUntil } from "./variant.ts";

const B_TEMPLATE = { subject: "B subject", preheader: "", html: "<p>B</p>" };
const step = (variantB: unknown) => CampaignStep.parse({ delayMs: 15 * DURATION.MINUTE, variantB });

describe("A/B split", () => {
  it("splits 10,000 episodes 50/50 by default, within 3 standard deviations (±150)", () => {
    const s = step({ template: B_TEMPLATE });
    let b = 0;
    for (let i = 0; i < 10_000; i++) if (stepVariant("hats.myshopify.com", "c1", `episode-${i}`, 0, s.variantB) === "B") b++;
    // Binomial(10,000, 0.5): sd = 50.
    expect(Math.abs(b - 5_000)).toBeLessThanOrEqual(150);
  });

  it("honours another split: 20 % B over 10,000 episodes within ±120", () => {
    const s = step({ template: B_TEMPLATE, percent: 20 });
    let b = 0;
    for (let i = 0; i < 10_000; i++) if (stepVariant("s", "c", `e${i}`, 1, s.variantB) === "B") b++;
    expect(Math.abs(b - 2_000)).toBeLessThanOrEqual(120);
  });

  it("puts an episode in the same variant every time, and records none for a step without variant B", () => {
    const s = step({ delayMs: DURATION.HOUR });
    const first = Array.from({ length: 500 }, (_, i) => stepVariant("s", "c", `e${i}`, 0, s.variantB));
    expect(Array.from({ length: 500 }, (_, i) => stepVariant("s", "c", `e${i}`, 0, s.variantB))).toEqual(first);
    expect(stepVariant("s", "c", "e1", 0, undefined)).toBeNull();
  });

  it("splits each step on its own and independently of the holdout", () => {
    const s = step({ template: B_TEMPLATE });
    const ids = Array.from({ length: 4_000 }, (_, i) => `e${i}`);
    const both = ids.filter((id) => stepVariant("s", "c", id, 0, s.variantB) === "B" && stepVariant("s", "c", id, 1, s.variantB) === "B").length;
    expect(Math.abs(both - 1_000)).toBeLessThanOrEqual(100);
    const held = ids.filter((id) => isHeldOut("s", "c", id, 10));
    const heldB = held.filter((id) => stepVariant("s", "c", id, 0, s.variantB) === "B").length;
    expect(Math.abs(heldB / held.length - 0.5)).toBeLessThan(0.1);
  });

  it("refuses a variant B with neither its own template nor delay, and delays that do not increase across variants", () => {
    expect(CampaignStep.safeParse({ delayMs: 60_000, variantB: { percent: 50 } }).success).toBe(false);
    const base = defaultCampaign("c", "s");
    const steps = [{ delayMs: DURATION.HOUR, variantB: { delayMs: 3 * DURATION.HOUR } }, { delayMs: 2 * DURATION.HOUR }];
    expect(Campaign.safeParse({ ...base, steps }).success).toBe(false);
  });
});

describe("A/B variants of a step", () => {
  const base = defaultCampaign("c1", "s");
  const campaign = Campaign.parse({ ...base, steps: [{ delayMs: DURATION.HOUR, variantB: { template: B_TEMPLATE, delayMs: 30 * DURATION.MINUTE } }, { delayMs: DURATION.DAY }] });
  const at = new Date("2026-12-01T10:00:00Z");

  it("comes due at the earlier variant's delay; variant A then waits for its own", () => {
    const opened = onCartChanged(campaign, null, null, { kind: "cart_changed", shop: "s", profileId: "p", at, added: true, lineCount: 1 });
    expect(opened.type === "open" && opened.episode.dueAt?.toISOString()).toBe("2026-12-01T10:30:00.000Z");
    const due = new Date("2026-12-01T10:30:00Z");
    expect(variantWaitsUntil(campaign.steps[0]!, "A", at, due)?.toISOString()).toBe("2026-12-01T11:00:00.000Z");
    expect(variantWaitsUntil(campaign.steps[0]!, "B", at, due)).toBeNull();
    expect(variantWaitsUntil(campaign.steps[0]!, "A", at, new Date("2026-12-01T11:00:00Z"))).toBeNull();
  });

  it("gives variant B its template and leaves variant A and other steps as they are", () => {
    expect(campaignForVariant(campaign, 0, "B").steps[0]!.template).toEqual(B_TEMPLATE);
    expect(campaignForVariant(campaign, 0, "A")).toBe(campaign);
    expect(campaignForVariant(campaign, 0, "B").steps[1]).toEqual(campaign.steps[1]);
    const next = advance(campaign, { status: "open", startedAt: at, lastChangeAt: at, nextStep: 0, dueAt: at, closedReason: null }, new Date("2026-12-01T11:00:00Z"));
    expect(next.dueAt?.toISOString()).toBe("2026-12-02T10:00:00.000Z");
  });
});
