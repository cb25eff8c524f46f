// Looking into bench/catalog.ts's syncs without its ceilings: one sync per size in BENCH_CATALOG_SIZES,
// each in its own process (BENCH_CATALOG_NODE_FLAGS applies), printing what the runner reports.
import { openDatabase, shops } from "@cartback/db";
import { runSyncProcess, startFake } from "./catalog-measure.ts";
import { createBenchDatabase } from "./support/database.ts";

const SIZES = (process.env.BENCH_CATALOG_SIZES ?? "10000,1000000").split(",").map(Number);
const scratch = await createBenchDatabase("catalog_probe");
const database = await openDatabase({ url: scratch.url, poolSize: 2 });
try {
  for (const [i, variants] of SIZES.entries()) {
    const shop = `probe-${i}-${variants}.myshopify.com`;
    await database.db.insert(shops).values({ shop, catalogSyncEnabled: true });
    const fake = await startFake(shop, variants);
    try {
      const run = await runSyncProcess(scratch.url, fake.origin, shop);
      process.stdout.write(`${variants}\t${JSON.stringify(run)}\n`);
    } finally {
      await fake.stop();
    }
  }
} finally {
  await database.close();
  await scratch.drop();
}
