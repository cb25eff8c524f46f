import type { AppProcess } from "./app-process.ts";

/**
 * What a merchant does in the admin, over plain HTTP against a running app: sign in with the
 * admin password, then submit the same forms the pages render (document POSTs, answered with
 * the page HTML). Values shown on the page (API key, pixel key, campaign id) are read from it.
 */
export interface MerchantSession {
  get(path: string): Promise<{ status: number; html: string }>;
  submit(path: string, fields: Record<string, string>): Promise<{ status: number; html: string }>;
  /** Settings → "Create a new API key" (shown once). */
  createApiKey(): Promise<string>;
  /** Dashboard → custom pixel code: the key it embeds for /collect. */
  pixelKey(): Promise<string>;
  /** Campaigns → the first campaign's form: active, with these steps (e.g. "2s") and the rest as given. */
  configureCampaign(settings: CampaignSettings): Promise<void>;
  /** Catalog → Catalog Sync on (a full sync from the Admin API starts). */
  enableCatalogSync(): Promise<void>;
  /** Settings → Cart Tracking on, the sender, and the time zone shown on the page unless given. */
  saveSettings(settings: ShopSettingsForm): Promise<void>;
}

export interface ShopSettingsForm {
  fromAddress: string;
  fromName?: string;
  replyTo?: string;
  timezone?: string;
  cartTracking?: boolean;
}

export interface CampaignSettings {
  steps: string;
  consent?: "marketing_or_checkout" | "marketing" | "any_known";
  cap?: string;
  cooldown?: string;
  maxAge?: string;
  /** Share of episodes held out (no email), as the form takes it: "10". */
  holdout?: string;
}

export async function signInMerchant(app: Pick<AppProcess, "url" | "adminPassword">): Promise<MerchantSession> {
  const login = await fetch(`${app.url}/auth/login`, {
    method: "POST",
    body: new URLSearchParams({ password: app.adminPassword, next: "/app" }),
    redirect: "manual",
  });
  const cookie = login.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  if (login.status !== 302 || !cookie) throw new Error(`sign-in failed: HTTP ${login.status}`);
  const request = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${app.url}${path}`, { ...init, headers: { cookie, ...init.headers }, redirect: "manual" });
    return { status: response.status, html: await response.text() };
  };
  const session: MerchantSession = {
    get: (path) => request(path),
    submit: (path, fields) => request(path, { method: "POST", body: new URLSearchParams(fields) }),
    async createApiKey() {
      const { status, html } = await session.submit("/app/settings", { intent: "api-key" });
      const key = /\b(cbk_[A-Za-z0-9_-]+)/.exec(html)?.[1];
      if (status !== 200 || !key) throw new Error(`no API key on the Settings page (HTTP ${status})`);
      return key;
    },
    async pixelKey() {
      const { status, html } = await session.get("/app");
      const key = /pixelKey(?:&quot;|\\?")\s*:\s*(?:&quot;|\\?")(cbp_[A-Za-z0-9_-]+)/.exec(html)?.[1];
      if (status !== 200 || !key) throw new Error(`no pixel key on the Dashboard (HTTP ${status})`);
      return key;
    },
    async configureCampaign(settings) {
      const page = await session.get("/app/campaigns");
      const id = /name="id" value="([^"]+)"/.exec(page.html)?.[1];
      if (!id) throw new Error(`no campaign form on the Campaigns page (HTTP ${page.status})`);
      const fields: Record<string, string> = {
        intent: "settings",
        id,
        active: "on",
        steps: settings.steps,
        consent: settings.consent ?? "marketing_or_checkout",
        catalog: "shopify-catalog",
        property: "shopify_cart_ids",
        alias: "Samplecatalog1",
        cap: settings.cap ?? "",
        quiet: "",
        ...(settings.cooldown ? { cooldown: settings.cooldown } : {}),
        ...(settings.maxAge ? { "max-age": settings.maxAge } : {}),
        ...(settings.holdout ? { holdout: settings.holdout } : {}),
      };
      const saved = await session.submit("/app/campaigns", fields);
      if (saved.status !== 200) throw new Error(`campaign not saved: HTTP ${saved.status} ${errorText(saved.html)}`);
    },
    async enableCatalogSync() {
      const { status, html } = await session.submit("/app/catalog", { intent: "toggle", enabled: "on" });
      if (status !== 200 || !html.includes("Catalog Sync is on")) throw new Error(`Catalog Sync not switched on: HTTP ${status} ${errorText(html)}`);
    },
    async saveSettings(settings) {
      const page = await session.get("/app/settings");
      const timezone = settings.timezone ?? /name="timezone"[^>]*\svalue="([^"]*)"/.exec(page.html)?.[1] ?? "UTC";
      const fields: Record<string, string> = {
        timezone,
        fromName: settings.fromName ?? "",
        fromAddress: settings.fromAddress,
        replyTo: settings.replyTo ?? "",
        // The page posts its switches as explicit on/off (a hidden input beside the checkbox).
        cartTrackingEnabled: settings.cartTracking === false ? "off" : "on",
      };
      const { status, html } = await session.submit("/app/settings", fields);
      if (status !== 200 || !html.includes("Settings saved")) throw new Error(`settings not saved: HTTP ${status} ${errorText(html)}`);
    },
  };
  return session;
}

function errorText(html: string): string {
  return /"message":"([^"]{0,200})/.exec(html)?.[1] ?? /<title>([^<]*)/.exec(html)?.[1] ?? "";
}
