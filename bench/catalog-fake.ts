// The fake Admin API for bench/catalog.ts, in its own process so that its 100k generated
// variants do not count toward the sync's memory. Prints its origin, then serves until killed.
import { generateProducts, startFakeShopifyAdmin } from "@cartback/shopify-fake";

const [shop, token, variants] = process.argv.slice(2);
const fake = await startFakeShopifyAdmin({
  shop,
  accessToken: token,
  products: generateProducts(Number(variants), 5),
  lineOrder: "shuffled",
  bulkCompletion: "on-poll",
  pollsToComplete: 2,
  bucket: { maximumAvailable: 2000, restoreRate: 100 },
});
process.stdout.write(`${fake.origin}\n`);
process.on("SIGTERM", () => {
  void fake.close().then(() => process.exit(0));
});
