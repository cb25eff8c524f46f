import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { build } from "esbuild";

export const FIXTURES = path.resolve(import.meta.dirname, "../../../../fixtures/shopify/web-pixel-events");

/** Every captured standard event, by file name. */
export function capturedEvents(): Array<{ file: string; event: { id: string; name: string } }> {
  return readdirSync(FIXTURES)
    .filter((file) => file.endsWith(".json"))
    .sort()
    .map((file) => ({ file, event: JSON.parse(readFileSync(path.join(FIXTURES, file), "utf8")) }));
}

/** The pixel bundled as the CLI bundles it: one script that calls `shopify.extend` when run. */
export async function buildPixel(): Promise<string> {
  const result = await build({
    entryPoints: [path.resolve(import.meta.dirname, "../index.ts")],
    bundle: true,
    format: "iife",
    target: "es2020",
    write: false,
    minify: true,
  });
  return result.outputFiles[0]!.text;
}

export interface Posted {
  url: string;
  init: RequestInit;
  body: { shop: string; pixelKey: string; events: Array<Record<string, unknown>> };
}

/**
 * Runs the bundle in a bare context standing in for the strict sandbox's worker: only
 * `shopify.extend`, `fetch` (recorded) and the language built-ins exist.
 */
export function loadPixel(bundle: string, settings: Record<string, string>, shop = "quickstart-6ebc0909.myshopify.com", customer: Record<string, unknown> | null = null) {
  const posted: Posted[] = [];
  const subscribers = new Map<string, (event: unknown) => void>();
  let extension: ((api: unknown) => void) | null = null;
  const sandbox = {
    shopify: {
      extend: (point: string, fn: (api: unknown) => void) => {
        if (point === "WebPixel::Render") extension = fn;
      },
    },
    fetch: async (url: string, init: RequestInit) => {
      posted.push({ url, init, body: JSON.parse(String(init.body)) });
      return new Response(null, { status: 202 });
    },
  };
  vm.runInNewContext(bundle, sandbox);
  if (extension === null) throw new Error("the pixel did not call shopify.extend('WebPixel::Render', …)");
  (extension as (api: unknown) => void)({
    analytics: { subscribe: (name: string, cb: (event: unknown) => void) => subscribers.set(name, cb) },
    settings,
    init: { data: { shop: { myshopifyDomain: shop }, customer, cart: null } },
    browser: {},
    customerPrivacy: { subscribe: () => undefined },
  });
  const feed = (event: { name: string }) => subscribers.get(event.name)?.(structuredClone(event));
  return { posted, subscribers, feed };
}
