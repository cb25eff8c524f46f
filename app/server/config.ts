import { z } from "zod";
import { mailAddressProblem } from "./mail/mail-address.ts";
import { parseTrustProxy, type TrustProxy } from "./trust-proxy.ts";

/**
 * The whole configuration, read once from the environment. Every variable is listed in
 * README.md with its default. A bad value stops the process with one line naming it.
 */
const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();

const shopDomain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, "a shop domain like example.myshopify.com");

const httpUrl = z
  .string()
  .trim()
  .refine((value) => /^https?:\/\/[^/\s]+/.test(value), "an http(s) URL like https://cartback.example.com")
  .transform((value) => value.replace(/\/+$/, ""));

/**
 * MAIL_FROM is a bare address or `Name <address>` (mail/sender.ts reads both). The address is held
 * to the check every stored sender passes, so a typo stops the start instead of every send.
 */
const mailFrom = z.string().check((ctx) => {
  const address = /<([^>]+)>\s*$/.exec(ctx.value)?.[1]?.trim() ?? ctx.value;
  const problem = mailAddressProblem(address);
  if (problem) ctx.issues.push({ code: "custom", message: problem.replace(/^must be /, ""), input: ctx.value });
});

const Env = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().trim().min(1).default("127.0.0.1"),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
  CARTBACK_DATA_DIR: z.string().trim().min(1).default("./data"),
  DATABASE_URL: optionalString.pipe(
    z.string().regex(/^postgres(ql)?:\/\//, "a postgres:// connection URL").optional(),
  ),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** Public origin of this app (Shopify calls it; links in emails point to it). */
  SHOPIFY_APP_URL: optionalString.pipe(httpUrl.optional()),
  SHOPIFY_API_KEY: optionalString,
  SHOPIFY_API_SECRET: optionalString,
  /** The required scopes of shopify.app.toml; read_customers is optional there (asked for in the admin). */
  SCOPES: z
    .string()
    .default("read_products,read_orders,write_pixels,read_customer_events"),
  SHOPIFY_SHOP: optionalString.pipe(shopDomain.optional()),
  SHOPIFY_ADMIN_TOKEN: optionalString.pipe(
    z.string().regex(/^shp(at|ca|pa)_[A-Za-z0-9]+$/, "an Admin API access token (shpat_…)").optional(),
  ),
  SHOPIFY_ADMIN_API_ORIGIN: optionalString.pipe(httpUrl.optional()),
  ADMIN_PASSWORD: optionalString.pipe(z.string().min(8, "at least 8 characters").optional()),
  SMTP_URL: optionalString.pipe(
    z.string().regex(/^smtps?:\/\//, "an smtp:// or smtps:// URL").optional(),
  ),
  MAIL_FROM: optionalString.pipe(mailFrom.optional()),
  /** Floor of the per-shop breaker on first-time recipients per hour (campaigns/breaker.ts). */
  CARTBACK_NEW_RECIPIENTS_PER_HOUR: z.coerce.number().int().positive().optional(),
  /**
   * Requests a second per process above which storefront events / webhooks are answered once
   * stored and applied by a drain (event-inbox/receive.ts, webhook-inbox/receive.ts read them
   * there; checked here so that a bad value stops the start). -1: every request (tests).
   */
  CARTBACK_EVENT_BURST: z.coerce.number().int().min(-1).optional(),
  CARTBACK_WEBHOOK_BURST: z.coerce.number().int().min(-1).optional(),
  /** `off` only for load tests from one address (every request looks like one client). */
  CARTBACK_RATE_LIMITS: z.enum(["on", "off"]).default("on"),
  /** Run the campaign worker inside the web process (embedded default); `npm run worker` runs it alone. */
  CARTBACK_WORKER: z.enum(["inline", "off"]).default("inline"),
  /** Proxies allowed to name the client (X-Forwarded-For); see trust-proxy.ts. */
  TRUST_PROXY: optionalString,
});

export type Mode =
  | { type: "partner"; apiKey: string; apiSecret: string; appUrl: string; scopes: string[] }
  | { type: "self-hosted"; shop: string; adminToken: string; apiSecret: string }
  | { type: "unconfigured" };

export interface Config {
  nodeEnv: "development" | "production" | "test";
  port: number;
  host: string;
  /** Where links to this app point: SHOPIFY_APP_URL, else http://localhost:PORT. */
  appUrl: string;
  logLevel: z.infer<typeof Env>["LOG_LEVEL"];
  dataDir: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  mode: Mode;
  adminApiOrigin: string | undefined;
  adminPassword: string | undefined;
  smtpUrl: string | undefined;
  mailFrom: string | undefined;
  newRecipientsPerHour: number | undefined;
  rateLimits: "on" | "off";
  worker: "inline" | "off";
  trustProxy: TrustProxy;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly expected: string,
  ) {
    super(`${variable}: ${expected}`);
  }
}

export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? "environment");
    const got = env[variable];
    const shown = variable.includes("SECRET") || variable.includes("TOKEN") || variable.includes("PASSWORD")
      ? "" : got === undefined ? "" : ` (got "${got.slice(0, 60)}")`;
    throw new ConfigError(variable, `expected ${issue.message.replace(/^Invalid (input|option): /, "").replace(/^expected /, "")}${shown}`);
  }
  const e = parsed.data;
  const appUrl = e.SHOPIFY_APP_URL ?? `http://localhost:${e.PORT}`;
  if (e.SHOPIFY_ADMIN_API_ORIGIN && e.NODE_ENV === "production") {
    throw new ConfigError("SHOPIFY_ADMIN_API_ORIGIN", "expected unset in production (it is for tests and local fakes only)");
  }
  return {
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    appUrl,
    logLevel: e.LOG_LEVEL,
    dataDir: e.CARTBACK_DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    mode: resolveMode(e, appUrl),
    adminApiOrigin: e.SHOPIFY_ADMIN_API_ORIGIN,
    adminPassword: e.ADMIN_PASSWORD,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    newRecipientsPerHour: e.CARTBACK_NEW_RECIPIENTS_PER_HOUR,
    rateLimits: e.CARTBACK_RATE_LIMITS,
    worker: e.CARTBACK_WORKER,
    trustProxy: trustProxySetting(e.TRUST_PROXY),
  };
}

function trustProxySetting(value: string | undefined): TrustProxy {
  const parsed = parseTrustProxy(value);
  if (parsed.type === "invalid") throw new ConfigError("TRUST_PROXY", `expected ${parsed.expected} (got "${String(value).slice(0, 60)}")`);
  return parsed.value;
}

function resolveMode(e: z.infer<typeof Env>, appUrl: string): Mode {
  const require = (variable: keyof typeof e, why: string): string => {
    const value = e[variable];
    if (typeof value !== "string" || value === "") throw new ConfigError(variable, `expected to be set ${why}`);
    return value;
  };
  if (e.SHOPIFY_SHOP || e.SHOPIFY_ADMIN_TOKEN) {
    const why = "for a self-hosted custom app (SHOPIFY_SHOP, SHOPIFY_ADMIN_TOKEN and SHOPIFY_API_SECRET go together)";
    return {
      type: "self-hosted",
      shop: require("SHOPIFY_SHOP", why),
      adminToken: require("SHOPIFY_ADMIN_TOKEN", why),
      apiSecret: require("SHOPIFY_API_SECRET", why),
    };
  }
  if (e.SHOPIFY_API_KEY) {
    const why = "for a partner app (SHOPIFY_API_KEY, SHOPIFY_API_SECRET and SHOPIFY_APP_URL go together)";
    require("SHOPIFY_APP_URL", why);
    return {
      type: "partner",
      apiKey: e.SHOPIFY_API_KEY,
      apiSecret: require("SHOPIFY_API_SECRET", why),
      appUrl,
      scopes: e.SCOPES.split(",").map((s) => s.trim()).filter(Boolean),
    };
  }
  return { type: "unconfigured" };
}

/** The secret Shopify signs webhooks and app proxy requests with, when one is configured. */
export function shopifySecret(config: Config): string | undefined {
  return config.mode.type === "unconfigured" ? undefined : config.mode.apiSecret;
}
