import { createHmac, randomUUID } from "node:crypto";
import { type BulkFaults, type BulkOperation, type LineOrder } from "./bulk.ts";
import { LeakyBucket } from "./bucket.ts";
import type { DiscountUserError, FakeDiscount } from "./discounts.ts";
import type { TokenExchangeRecord } from "./oauth.ts";
import type { FakeProduct, FakeShopInfo } from "./store.ts";

export interface FakeAdminOptions {
  shop?: string;
  /** A token accepted in X-Shopify-Access-Token from the start (a custom app's token). */
  accessToken?: string;
  /**
   * A partner app: token exchange (`POST /admin/oauth/access_token`) verifies session tokens
   * with this secret and issues new tokens; then `accessToken` is not accepted unless given.
   */
  app?: { apiKey: string; apiSecret: string };
  /** Scopes the merchant granted (token exchange's `scope`, `appInstallation.accessScopes`). */
  grantedScopes?: string[];
  /** The app's declared scopes (`app.requestedAccessScopes`, `app.optionalAccessScopes`). */
  requestedScopes?: string[];
  optionalScopes?: string[];
  products?: FakeProduct[];
  shopInfo?: Partial<FakeShopInfo>;
  /** Customers by numeric id, for `customer(id:)` (the app proxy's logged-in customer). */
  customers?: FakeCustomer[];
  /** Shopify's standard plan: 2000 points, 100/s. */
  bucket?: { maximumAvailable: number; restoreRate: number };
  /** Bulk result line order; Shopify does not promise parents first. */
  lineOrder?: LineOrder;
  seed?: number;
  /** `on-poll`: completes on the Nth status query; `immediate`: right after creation; `manual`: tests call completeBulk. */
  bulkCompletion?: "on-poll" | "immediate" | "manual";
  pollsToComplete?: number;
  /** Where to POST bulk_operations/finish (signed with `secret`) when an operation ends. */
  finishWebhook?: { url: string; secret: string };
  now?: () => number;
}

export interface FakeCustomer {
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  /** Customer.emailMarketingConsent.marketingState: SUBSCRIBED, NOT_SUBSCRIBED, UNSUBSCRIBED, PENDING… */
  marketingState: string | null;
}

export interface RecordedRequest {
  operation: string;
  throttled: boolean;
  variables: Record<string, unknown>;
}

export class FakeAdminState {
  readonly shop: string;
  readonly accessToken: string;
  products: FakeProduct[];
  readonly shopInfo: FakeShopInfo;
  readonly bucket: LeakyBucket;
  readonly bulkOperations: BulkOperation[] = [];
  readonly webPixels: Array<{ id: string; settings: string }> = [];
  readonly customers: FakeCustomer[];
  readonly discounts: FakeDiscount[] = [];
  /** The next `times` discount creations (all when absent) answer these userErrors (discounts.ts). */
  discountFaults: { userErrors?: DiscountUserError[]; times?: number } = {};
  readonly requests: RecordedRequest[] = [];
  readonly webhooksSent: Array<{ status: number; body: unknown }> = [];
  readonly app: { apiKey: string; apiSecret: string } | undefined;
  grantedScopes: string[];
  readonly requestedScopes: string[];
  readonly optionalScopes: string[];
  readonly tokenExchanges: TokenExchangeRecord[] = [];
  /** The install's offline token, issued by the first token exchange (null before, and after uninstall). */
  offlineToken: string | null = null;
  private readonly acceptedTokens = new Set<string>();
  bulkFaults: BulkFaults = {};
  origin = "";
  readonly options: Required<Pick<FakeAdminOptions, "bulkCompletion" | "pollsToComplete" | "lineOrder" | "seed">> & FakeAdminOptions;
  readonly now: () => number;
  private counter = 1_000_000;

  constructor(options: FakeAdminOptions) {
    this.options = { bulkCompletion: "on-poll", pollsToComplete: 2, lineOrder: "parents-first", seed: 7, ...options };
    this.now = options.now ?? Date.now;
    this.shop = options.shop ?? "cartback-fake.myshopify.com";
    this.accessToken = options.accessToken ?? "shpat_fake0000000000000000000000000000";
    this.app = options.app;
    // Copies: a test grants a scope by pushing onto state.grantedScopes, never onto its own constants.
    this.grantedScopes = [...(options.grantedScopes ?? ["read_products", "read_orders", "write_pixels", "read_customer_events"])];
    this.requestedScopes = [...(options.requestedScopes ?? this.grantedScopes)];
    this.optionalScopes = [...(options.optionalScopes ?? [])];
    if (!options.app || options.accessToken) this.acceptedTokens.add(this.accessToken);
    this.products = options.products ?? [];
    this.customers = options.customers ?? [];
    this.shopInfo = {
      name: "Cartback Fake Shop",
      currencyCode: "USD",
      ianaTimezone: "America/New_York",
      moneyFormat: "${{amount}}",
      primaryDomainUrl: `https://${this.shop}`,
      ...options.shopInfo,
    };
    const bucket = options.bucket ?? { maximumAvailable: 2000, restoreRate: 100 };
    this.bucket = new LeakyBucket(bucket.maximumAvailable, bucket.restoreRate, this.now);
  }

  acceptToken(token: string): void {
    this.acceptedTokens.add(token);
  }

  isAccepted(token: unknown): boolean {
    return typeof token === "string" && this.acceptedTokens.has(token);
  }

  /** What Shopify does when the merchant removes the app: its tokens stop working, its pixel goes. */
  uninstallApp(): void {
    this.acceptedTokens.clear();
    this.offlineToken = null;
    this.webPixels.splice(0);
  }

  nextId(): number {
    return ++this.counter;
  }

  currentBulkOperation(): BulkOperation | undefined {
    return this.bulkOperations.at(-1);
  }

  /** Completes the newest running operation (for `bulkCompletion: "manual"`). */
  completeBulk: () => void = () => {};

  onBulkFinished(op: BulkOperation): void {
    const hook = this.options.finishWebhook;
    if (!hook) return;
    const body = JSON.stringify({
      admin_graphql_api_id: op.id,
      completed_at: op.completedAt,
      created_at: op.createdAt,
      error_code: op.errorCode?.toLowerCase() ?? null,
      status: op.status.toLowerCase(),
      type: "query",
    });
    void fetch(hook.url, {
      method: "POST",
      body,
      headers: {
        "content-type": "application/json",
        "x-shopify-topic": "bulk_operations/finish",
        "x-shopify-shop-domain": this.shop,
        "x-shopify-webhook-id": randomUUID(),
        "x-shopify-api-version": "2026-10",
        "x-shopify-hmac-sha256": createHmac("sha256", hook.secret).update(body).digest("base64"),
      },
    })
      .then((res) => this.webhooksSent.push({ status: res.status, body: JSON.parse(body) }))
      .catch(() => this.webhooksSent.push({ status: 0, body: JSON.parse(body) }));
  }
}
