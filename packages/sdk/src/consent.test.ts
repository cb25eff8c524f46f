import { describe, expect, it, vi } from "vitest";
import { ConsentGate } from "./consent.ts";

function fakeWindow(shopify: unknown): Window {
  return { document: new EventTarget(), Shopify: shopify } as unknown as Window;
}

const privacy = (analytics: boolean, marketing: boolean) => ({
  customerPrivacy: { analyticsProcessingAllowed: () => analytics, marketingAllowed: () => marketing },
});

describe("ConsentGate", () => {
  it("sends only when the configured purpose is allowed by Shopify's Customer Privacy API", () => {
    const cases: Array<[Parameters<typeof privacy>, "analytics" | "marketing" | "analytics_and_marketing", boolean]> = [
      [[true, false], "analytics", true],
      [[false, true], "analytics", false],
      [[false, true], "marketing", true],
      [[true, false], "marketing", false],
      [[true, true], "analytics_and_marketing", true],
      [[true, false], "analytics_and_marketing", false],
    ];
    for (const [flags, requirement, expected] of cases) {
      expect(new ConsentGate(fakeWindow(privacy(...flags)), requirement, () => {}).allowed()).toBe(expected);
    }
  });

  it("waits while the API is still loading, asks Shopify to load it once, and resumes when it has", () => {
    const shopify: Record<string, unknown> = {};
    let loaded: () => void = () => {};
    shopify.loadFeatures = vi.fn((_features: unknown, callback: () => void) => {
      loaded = callback;
    });
    const onChange = vi.fn();
    const gate = new ConsentGate(fakeWindow(shopify), "analytics", onChange);
    expect(gate.allowed()).toBe(false);
    expect(gate.allowed()).toBe(false);
    expect(shopify.loadFeatures).toHaveBeenCalledTimes(1);
    Object.assign(shopify, privacy(true, false));
    loaded();
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(gate.allowed()).toBe(true);
  });

  it("re-checks when the visitor answers the banner", () => {
    const win = fakeWindow(privacy(false, false));
    const onChange = vi.fn();
    new ConsentGate(win, "analytics", onChange);
    win.document.dispatchEvent(new Event("visitorConsentCollected"));
    expect(onChange).toHaveBeenCalledTimes(1);
  });

  it("treats a page with no Shopify consent framework at all as not requiring consent", () => {
    expect(new ConsentGate(fakeWindow(undefined), "analytics", () => {}).allowed()).toBe(true);
    expect(new ConsentGate(fakeWindow(privacy(false, false)), "none", () => {}).allowed()).toBe(true);
  });
});
