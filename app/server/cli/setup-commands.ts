import { catalogDeps } from "../catalog/deps.ts";
import { type CatalogSyncStatus, catalogSyncStatus, progressLine } from "../catalog/status.ts";
import { activeSync } from "../catalog/sync-records.ts";
import { type CatalogDeps, pollSync, type StartSyncResult } from "../catalog/sync.ts";
import { setCatalogSync } from "../catalog/toggle.ts";
import { activateWebPixel } from "../pixel/activate.ts";
import type { Runtime } from "../runtime.ts";
import { issueApiKey } from "../shops/keys.ts";
import { recordInstall } from "../shops/install.ts";
import type { Args } from "./args.ts";
import { type Out, UsageError } from "./commands.ts";

const SHOP = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

function shopArg(args: Args, usage: string): string {
  const shop = args.positional[0]?.toLowerCase();
  if (!shop || !SHOP.test(shop)) throw new UsageError(`usage: ${usage}`);
  return shop;
}

/** Registers a shop by hand (self-hosted installs register theirs at start). */
export async function install(runtime: Runtime, args: Args, out: Out) {
  const shop = shopArg(args, "cartback install <shop>.myshopify.com");
  await recordInstall(runtime.database.db, shop);
  out({ shop, installed: true }, `${shop} installed (default campaign ready)`);
}

/** A new events-API key; the previous one stops working. Shown once, stored hashed. */
export async function apiKey(runtime: Runtime, args: Args, out: Out) {
  const shop = shopArg(args, "cartback api-key <shop>");
  const key = await issueApiKey(runtime.database.db, shop).catch(() => null);
  if (!key) throw new UsageError(`no shop ${shop} (run: cartback install ${shop})`);
  out({ shop, apiKey: key }, `${key}\n(shown once; any earlier key for ${shop} no longer works)`);
}

export async function pixel(runtime: Runtime, args: Args, out: Out) {
  const shop = shopArg(args, "cartback pixel <shop>");
  const result = await activateWebPixel(runtime, shop);
  if (result.type === "failed") throw new UsageError(`web pixel not activated: ${result.reason}`);
  out(result, `web pixel ${result.type} (${result.id})`);
}

/**
 * `catalog <shop>` shows Catalog Sync; `catalog <shop> on|off` switches it. On starts a full sync
 * and waits for it, printing progress: the CLI's database connection closes when it exits, so a
 * poller left behind would die with it. `--no-wait` leaves the sync to a running server's worker
 * instead, which adopts syncs nobody polls within a minute. Running `on` again resumes a sync
 * an earlier CLI left waiting.
 */
export async function catalog(runtime: Runtime, args: Args, out: Out) {
  const usage = "cartback catalog <shop> [on|off] [--no-wait]";
  const shop = shopArg(args, usage);
  const switchTo = args.positional[1];
  if (switchTo !== undefined && switchTo !== "on" && switchTo !== "off") throw new UsageError(`usage: ${usage}`);
  let note: string | null = null;
  if (switchTo) {
    const deps = catalogDeps(runtime);
    const result = await setCatalogSync(deps, shop, switchTo === "on", { pollInBackground: false });
    if (result.type === "unknown_shop") throw new UsageError(`no shop ${shop}`);
    if (result.type === "enabled") note = await followSync(runtime, deps, shop, result.sync, args.flags.get("no-wait") === "true");
  }
  const status = await catalogSyncStatus(runtime.database.db, shop);
  out(status, statusText(status, note));
  if (status.lastSync?.status === "failed" && switchTo === "on" && !status.lastSyncedAt) {
    throw new UsageError(progressLine(status));
  }
}

function statusText(status: CatalogSyncStatus, note: string | null): string {
  return [`Catalog Sync: ${status.summary}`, status.lastSync ? progressLine(status) : null, note].filter(Boolean).join("\n");
}

/** Waits for the sync (or the one already running) to end; returns a note for the output. */
async function followSync(runtime: Runtime, deps: CatalogDeps, shop: string, sync: StartSyncResult, noWait: boolean): Promise<string | null> {
  if (sync.type === "failed") return `The sync could not start: ${sync.errorCode}: ${sync.error}`;
  if (sync.type === "disabled") return null;
  const bulkOperationId = sync.type === "started" ? sync.bulkOperationId : (await activeSync(runtime.database.db, shop, new Date()))?.bulkOperationId;
  if (!bulkOperationId) return "A sync is already running in another process.";
  if (noWait) return "Left to the server: a running Cartback worker finishes it (it picks up unpolled syncs within a minute).";
  // Progress from the poll's own answer: a status query still in flight when the CLI closes its
  // database would fail with "Cannot use a pool after calling end on the pool".
  await pollSync(deps, shop, bulkOperationId, {
    onPoll: (result) => {
      if (result.type === "still_running") process.stderr.write(`Catalog sync: Shopify is exporting products… (${result.objectCount.toLocaleString("en-US")} objects so far)\n`);
    },
  });
  return null;
}
