import type { ProfileState } from "../profile/state.ts";
import { Campaign, type CampaignSettings } from "./campaign.ts";

/** Builders for tests of the campaign rules (here and in the server's scheduler tests). */
export function testCampaign(overrides: Partial<Omit<Campaign, "settings">> & { settings?: Partial<CampaignSettings> } = {}): Campaign {
  const { settings, ...rest } = overrides;
  return Campaign.parse({
    id: "c1",
    shop: "s.myshopify.com",
    name: "Abandoned cart",
    active: true,
    steps: [{ delayMs: 15 * 60_000 }],
    ...rest,
    settings: settings ?? {},
  });
}

export function testProfile(overrides: Partial<ProfileState> = {}): ProfileState {
  const at = new Date("2026-01-01T10:00:00Z");
  return {
    shop: "s.myshopify.com",
    profileId: "p1",
    email: "jane@example.com",
    customerId: null,
    firstName: "Jane",
    lastName: null,
    marketingConsent: "subscribed",
    acceptsMarketingAtCheckout: null,
    timezone: null,
    cart: [{ variantId: "111", quantity: 1, unitPrice: 2999, currency: "USD", firstAddedAt: at, lastChangedAt: at }],
    cartTokens: ["c1-abc"],
    checkoutTokens: [],
    charges: [],
    cartChangedAt: at,
    ...overrides,
  };
}
