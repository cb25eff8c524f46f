import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import toml from "toml";

const ROOT = path.resolve(import.meta.dirname, "../..");

export interface AppToml {
  /** Each webhook URI with the topics (and compliance topics) Shopify sends to it. */
  webhooks: Array<{ uri: string; topics: string[] }>;
  proxy: { path: string; prefix: string; subpath: string };
  scopes: string[];
  optionalScopes: string[];
}

interface Raw {
  access_scopes: { scopes: string; optional_scopes?: string[] };
  webhooks: { subscriptions: Array<{ uri: string; topics?: string[]; compliance_topics?: string[] }> };
  app_proxy: { url: string; prefix: string; subpath: string };
}

/** shopify.app.toml as the Shopify CLI reads it. */
export function readAppToml(file = path.join(ROOT, "shopify.app.toml")): AppToml {
  const raw = toml.parse(readFileSync(file, "utf8")) as Raw;
  return {
    webhooks: raw.webhooks.subscriptions.map((s) => ({ uri: s.uri, topics: [...(s.topics ?? []), ...(s.compliance_topics ?? [])] })),
    proxy: { path: new URL(raw.app_proxy.url).pathname, prefix: raw.app_proxy.prefix, subpath: raw.app_proxy.subpath },
    scopes: raw.access_scopes.scopes.split(",").map((s) => s.trim()),
    optionalScopes: raw.access_scopes.optional_scopes ?? [],
  };
}

/** The webhook URIs the app serves: Remix flat routes app/routes/webhooks.*.ts ("." is "/"). */
export function servedWebhookUris(): string[] {
  return readdirSync(path.join(ROOT, "app/routes"))
    .filter((f) => /^webhooks\..+\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f))
    .map((f) => `/${f.replace(/\.tsx?$/, "").replaceAll(".", "/")}`)
    .sort();
}
