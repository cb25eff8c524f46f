import { shops } from "@cartback/db";
import { isNull } from "drizzle-orm";
import { catalogDeps, catalogWorkSettled, inBackground } from "./catalog/deps.ts";
import { resumeRunningSyncs } from "./catalog/toggle.ts";
import { removeRedactedOutboxFiles } from "./compliance/outbox-files.ts";
import { outboxDir } from "./mail/index.ts";
import { pruneEventHistory } from "./profiles/retention.ts";
import type { Runtime } from "./runtime.ts";
import { retentionDays } from "./shops/lookup.ts";
import { startShopFactsRefresh } from "./shops/refresh.ts";

const PRUNE_EVERY_MS = 6 * 60 * 60 * 1000;
/** How soon a sync whose poller died (a CLI that exited) is picked up by a running worker. */
const ADOPT_SYNCS_EVERY_MS = 60 * 1000;
/** Emails wait for the shop's sender and currency on start, but never longer than this. */
const SHOP_FACTS_WAIT_MS = 5_000;

export interface Maintenance {
  stop(): Promise<void>;
}

/**
 * Housekeeping that runs beside the campaign worker: the shops' own settings (currency, time
 * zone, sender) are read from Shopify; catalog syncs a restart or an exited CLI left waiting on
 * Shopify are picked up again (self-hosted stores never send bulk_operations/finish), and
 * event history beyond each shop's retention is pruned every few hours, together with any
 * outbox files of redacted customers a crash left behind. Every step is idempotent, so
 * several workers doing it at once only repeat work.
 */
export async function startMaintenance(runtime: Runtime): Promise<Maintenance> {
  const logger = runtime.logger.child({ component: "maintenance" });
  const shopFacts = startShopFactsRefresh(runtime);
  await Promise.race([shopFacts.firstRound, new Promise((resolve) => setTimeout(resolve, SHOP_FACTS_WAIT_MS).unref())]);
  const adoptSyncs = () =>
    inBackground(runtime, "resuming catalog syncs", async () => {
      const polls = await resumeRunningSyncs(catalogDeps(runtime));
      await Promise.all(polls);
    });
  adoptSyncs();
  const adoptTimer = setInterval(adoptSyncs, ADOPT_SYNCS_EVERY_MS);
  adoptTimer.unref();

  let running: Promise<void> | null = null;
  const prune = async () => {
    const files = await removeRedactedOutboxFiles(runtime.database.db, outboxDir(runtime.config));
    if (files > 0) logger.info({ files }, "removed redacted customers' outbox files a crash had left");
    const live = await runtime.database.db.select().from(shops).where(isNull(shops.uninstalledAt));
    for (const row of live) {
      const result = await pruneEventHistory(runtime.database, row.shop, { now: new Date(), retentionDays: retentionDays(row) });
      if (result.deleted > 0) logger.info({ shop: row.shop, ...result }, "pruned event history");
    }
  };
  const tick = () => {
    running ??= prune()
      .catch((error: unknown) => logger.error({ err: error }, "event history pruning failed"))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, PRUNE_EVERY_MS);
  timer.unref();
  tick();

  return {
    async stop() {
      clearInterval(timer);
      clearInterval(adoptTimer);
      await shopFacts.stop();
      await running;
      await catalogWorkSettled(runtime);
    },
  };
}
