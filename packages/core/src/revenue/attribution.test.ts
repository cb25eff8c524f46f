import { describe, expect, it } from "vitest";
import { type AttributionInput, attributeOrder } from "./attribution.ts";

const H = 3600_000;
const T = new Date("2026-12-01T12:00:00Z").getTime();
const at = (hours: number) => new Date(T + hours * H);
const send = (id: string, hours: number) => ({ sendId: id, episodeId: `ep-${id}`, campaignId: "c1", sentAt: at(hours) });
const base: AttributionInput = { orderedAt: at(0), cartTokenSeenAt: null, checkoutTokenSeenAt: null, sends: [], clicks: [], holdouts: [], windowMs: 5 * 24 * H };

describe("attributeOrder", () => {
  it("credits the emailed cart's token: the cart existed when the email went out", () => {
    const result = attributeOrder({ ...base, cartTokenSeenAt: at(-3), sends: [send("a", -2)] });
    expect(result.credit).toEqual({ rule: "cart_token", sendId: "a", episodeId: "ep-a", campaignId: "c1" });
    expect(result.exposure).toEqual({ type: "emailed", episodeId: "ep-a", campaignId: "c1" });
  });

  it("credits the emailed checkout's token, also outside the click window", () => {
    const result = attributeOrder({ ...base, checkoutTokenSeenAt: at(-300), sends: [send("a", -200)] });
    expect(result.credit?.rule).toBe("checkout_token");
  });

  it("does not credit a token first seen after the email (a new cart the email never showed)", () => {
    expect(attributeOrder({ ...base, cartTokenSeenAt: at(-1), sends: [send("a", -2)] }).credit).toBeNull();
  });

  it("credits the latest click within the window (last touch) when no token matches", () => {
    const clicks = [{ sendId: "a", episodeId: "ep-a", campaignId: "c1", at: at(-30) }, { sendId: "b", episodeId: "ep-b", campaignId: "c2", at: at(-5) }];
    expect(attributeOrder({ ...base, sends: [send("a", -40), send("b", -6)], clicks }).credit).toEqual({ rule: "click", sendId: "b", episodeId: "ep-b", campaignId: "c2" });
  });

  it("prefers the token rule over a later click of another email", () => {
    const clicks = [{ sendId: "b", episodeId: "ep-b", campaignId: "c1", at: at(-1) }];
    expect(attributeOrder({ ...base, cartTokenSeenAt: at(-10), sends: [send("a", -9), send("b", -2)], clicks }).credit?.sendId).toBe("b");
    expect(attributeOrder({ ...base, cartTokenSeenAt: at(-10), sends: [send("a", -9), send("b", -2)], clicks }).credit?.rule).toBe("cart_token");
  });

  it("credits nothing for a click outside the window or after the order", () => {
    const late = [{ sendId: "a", episodeId: "ep-a", campaignId: "c1", at: at(-5 * 24 - 1) }, { sendId: "a", episodeId: "ep-a", campaignId: "c1", at: at(1) }];
    const result = attributeOrder({ ...base, sends: [send("a", -6 * 24)], clicks: late });
    expect(result).toEqual({ credit: null, exposure: null });
  });

  it("places an uncredited order beside the latest email or holdout decision within the window", () => {
    const holdouts = [{ episodeId: "ep-h", campaignId: "c1", at: at(-2) }];
    expect(attributeOrder({ ...base, sends: [send("a", -3)], holdouts }).exposure).toEqual({ type: "holdout", episodeId: "ep-h", campaignId: "c1" });
    expect(attributeOrder({ ...base, sends: [send("a", -1)], holdouts }).exposure).toEqual({ type: "emailed", episodeId: "ep-a", campaignId: "c1" });
  });
});
