/** Which consent must be given before events leave the browser (queued events wait). */
export type ConsentRequirement = "none" | "analytics" | "marketing" | "analytics_and_marketing";

interface CustomerPrivacy {
  analyticsProcessingAllowed?: () => boolean;
  marketingAllowed?: () => boolean;
}

interface ShopifyGlobal {
  customerPrivacy?: CustomerPrivacy;
  loadFeatures?: (features: Array<{ name: string; version: string }>, callback: (error?: unknown) => void) => void;
  routes?: { root?: string };
}

export function shopifyGlobal(win: Window): ShopifyGlobal | undefined {
  return (win as unknown as { Shopify?: ShopifyGlobal }).Shopify;
}

/**
 * Shopify's Customer Privacy API. On a real storefront it is either loaded or loadable through
 * `Shopify.loadFeatures`; until it answers, nothing is sent. Only where neither exists (no
 * Shopify consent framework on the page at all) is the requirement treated as met.
 */
export class ConsentGate {
  private loading = false;

  constructor(
    private readonly win: Window,
    private readonly requirement: ConsentRequirement,
    private readonly onChange: () => void,
  ) {
    // Fired by Shopify's cookie banner whenever the visitor answers.
    win.document.addEventListener("visitorConsentCollected", () => onChange());
  }

  allowed(): boolean {
    if (this.requirement === "none") return true;
    const shopify = shopifyGlobal(this.win);
    const privacy = shopify?.customerPrivacy;
    if (!privacy) {
      if (typeof shopify?.loadFeatures !== "function") return true;
      this.load(shopify.loadFeatures);
      return false;
    }
    const analytics = privacy.analyticsProcessingAllowed?.() === true;
    const marketing = privacy.marketingAllowed?.() === true;
    switch (this.requirement) {
      case "analytics":
        return analytics;
      case "marketing":
        return marketing;
      case "analytics_and_marketing":
        return analytics && marketing;
      default:
        return unreachable(this.requirement);
    }
  }

  private load(loadFeatures: NonNullable<ShopifyGlobal["loadFeatures"]>): void {
    if (this.loading) return;
    this.loading = true;
    try {
      loadFeatures([{ name: "consent-tracking-api", version: "0.1" }], () => this.onChange());
    } catch {
      // A broken loader leaves consent unknown, which means nothing is sent.
    }
  }
}

function unreachable(value: never): never {
  throw new Error(`unknown consent requirement ${String(value)}`);
}
