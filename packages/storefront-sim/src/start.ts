// The storefront alone: `npm start -w @cartback/storefront-sim -- --products <file> --app http://127.0.0.1:3000`
// (the app secret comes from SHOPIFY_API_SECRET, never from the command line).
import path from "node:path";
import { parseArgs } from "node:util";
// @ts-expect-error: plain .mjs build script, no type declarations
import { buildSdk } from "../../sdk/scripts/build.mjs";
import { startStorefront } from "./server.ts";

const { values } = parseArgs({
  options: {
    products: { type: "string" },
    app: { type: "string" },
    port: { type: "string", default: "4000" },
    shop: { type: "string", default: "cartback-demo.myshopify.com" },
    currency: { type: "string", default: "USD" },
  },
});

// Without --products: the generated demo catalog (`npm run demo` runs the whole demo, app included).
const products = values.products ?? path.resolve(import.meta.dirname, "../../../fixtures/shopify/generated/storefront-products.json");
// The demo serves the SDK exactly as the theme extension ships it.
await buildSdk();
const running = await startStorefront({
  productsFile: products,
  appUrl: values.app,
  appSecret: process.env.SHOPIFY_API_SECRET,
  port: Number(values.port),
  shop: values.shop,
  currency: values.currency,
  customers: [{ id: "7000000001", email: "demo.shopper@example.com" }],
});
process.stdout.write(`storefront simulator on ${running.url} (${running.catalog.products.length} products)\n`);
const stop = () => void running.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
