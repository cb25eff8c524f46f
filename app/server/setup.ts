import type { Config } from "./config.ts";

export interface SetupStep {
  id: string;
  title: string;
  done: boolean;
  detail: string;
}

/** What the merchant still has to configure, in the order they should do it. */
export function setupSteps(config: Config): SetupStep[] {
  const mode = config.mode;
  return [
    {
      id: "shopify",
      title: "Connect a Shopify store",
      done: mode.type !== "unconfigured",
      detail:
        mode.type === "self-hosted"
          ? `Connected to ${mode.shop} with a custom app's Admin API token.`
          : mode.type === "partner"
            ? "Running as a partner app: merchants install it from the Shopify admin (session token exchanged for an offline token)."
            : "Set SHOPIFY_SHOP, SHOPIFY_ADMIN_TOKEN and SHOPIFY_API_SECRET (self-hosted custom app), or SHOPIFY_API_KEY, SHOPIFY_API_SECRET and SHOPIFY_APP_URL (partner app), then restart. See README.",
    },
    {
      id: "public-url",
      title: "Give Cartback a public URL",
      done: config.appUrl.startsWith("https://"),
      detail: `Shopify's webhooks, the app proxy and the links in emails need an https origin. Now: ${config.appUrl} (SHOPIFY_APP_URL).`,
    },
    {
      id: "mail",
      title: "Configure sending",
      done: Boolean(config.smtpUrl),
      detail: config.smtpUrl
        ? "Emails go out through SMTP_URL."
        : "No SMTP_URL: emails are kept in the local outbox (Outbox page) instead of being sent.",
    },
    {
      id: "database",
      title: "Choose a database",
      done: true,
      detail: config.databaseUrl
        ? "PostgreSQL (DATABASE_URL)."
        : `Embedded PGlite in ${config.dataDir}. Set DATABASE_URL to use PostgreSQL and run several processes.`,
    },
  ];
}
