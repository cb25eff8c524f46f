import { describe, expect, it } from "vitest";
import { type AttributionInput, attributeOrder } from "./attribution.ts";

const H = 3600_000;
const T = new Date("2026-12-01T12:00:00Z").getTime();
const at = (hours: number) => new Date(T + hours * H);
const send = (id: string, hours: number, campaignId = "c1") => ({ sendId: id, episodeId: `ep-${id}`, campaignId, sentAt: at(hours) });
const base: AttributionInput = { orderedAt: at(0), cartTokenSeenAt: null, checkoutTokenSeenAt: null, sends: [], clicks: [], holdouts: [], windowMs: 5 * 24 * H };

describe("attributeOrder: the order carries the episode's discount code", () => {
  it("credits the email whose code the order used, with the rule discount_code", () => {
    const result = attributeOrder({ ...base, codeSends: [send("a", -2)] });
    expect(result.credit).toEqual({ rule: "discount_code", sendId: "a", episodeId: "ep-a", campaignId: "c1" });
    expect(result.exposure).toEqual({ type: "emailed", episodeId: "ep-a", campaignId: "c1" });
  });

  it("wins over a matching cart token and a later click of another email: the code is the strongest evidence", () => {
    const clicks = [{ sendId: "b", episodeId: "ep-b", campaignId: "c2", at: at(-1) }];
    const result = attributeOrder({ ...base, cartTokenSeenAt: at(-10), sends: [send("a", -9), send("b", -2, "c2")], clicks, codeSends: [send("a", -9)] });
    expect(result.credit).toEqual({ rule: "discount_code", sendId: "a", episodeId: "ep-a", campaignId: "c1" });
  });

  it("credits a code order outside the click window (the code carries its own expiry)", () => {
    expect(attributeOrder({ ...base, codeSends: [send("a", -10 * 24)] }).credit?.rule).toBe("discount_code");
  });

  it("never credits a code from an email sent after the order", () => {
    expect(attributeOrder({ ...base, codeSends: [send("a", 1)] }).credit).toBeNull();
  });

  it("falls back to the other rules when the order used no email's code", () => {
    const result = attributeOrder({ ...base, cartTokenSeenAt: at(-3), sends: [send("a", -2)], codeSends: [] });
    expect(result.credit?.rule).toBe("cart_token");
  });

  it("credits one email only when an order somehow carries two emails' codes: the latest", () => {
    const result = attributeOrder({ ...base, codeSends: [send("a", -30), send("b", -3)] });
    expect(result.credit?.sendId).toBe("b");
  });
});
