// Test/bench fixture: a real worker process (real database, real SMTP) whose profile reader
// derives each shopper from the profile id, so process-level tests (SIGKILL, several
// workers) and the benchmark need no events pipeline. Not used in production.
import type { ProfileState } from "@cartback/core/profile/state";
import { depsFromProfiles } from "../campaigns/deps.ts";
import { loadConfig } from "../config.ts";
import { createLogger } from "../logger.ts";
import { createRuntime } from "../runtime.ts";
import { startWorker } from "./worker.ts";

export function fixtureProfile(shop: string, profileId: string): ProfileState {
  const at = new Date("2026-01-01T00:00:00Z");
  return {
    shop, profileId, email: `${profileId}@example.com`, customerId: null, firstName: null, lastName: null,
    marketingConsent: "subscribed", acceptsMarketingAtCheckout: null, timezone: null,
    cart: [{ variantId: "4242", quantity: 1, unitPrice: 1999, currency: "USD", firstAddedAt: at, lastChangedAt: at }],
    cartTokens: [], checkoutTokens: [], charges: [], cartChangedAt: at,
  };
}

async function main() {
  const config = loadConfig({ ...process.env, CARTBACK_WORKER: "inline" });
  const runtime = await createRuntime(config, createLogger({ level: process.env.LOG_LEVEL ?? "warn" }));
  const worker = await startWorker(runtime, {
    deps: depsFromProfiles(fixtureProfile),
    leaseMs: Number(process.env.CARTBACK_LEASE_MS ?? 300_000),
    pollMs: Number(process.env.CARTBACK_POLL_MS ?? 200),
    batchSize: Number(process.env.CARTBACK_BATCH ?? 200),
    concurrency: Number(process.env.CARTBACK_CONCURRENCY ?? 16),
    onlyShops: process.env.CARTBACK_ONLY_SHOP ? [process.env.CARTBACK_ONLY_SHOP] : undefined,
  });
  process.stdout.write("ready\n");
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await worker.stop();
    await runtime.database.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  // Its parent gone (a bench or test run killed before its cleanup), it stops rather than go on
  // claiming due work from a database another run may reuse.
  process.on("disconnect", () => void stop());
}

if (process.argv[1]?.endsWith("fixture-worker.ts")) await main();
