import { shops } from "@cartback/db";
import { eq } from "drizzle-orm";
import { catalogDeps } from "../catalog/deps.ts";
import { setCatalogSync, syncNow } from "../catalog/toggle.ts";
import { activateWebPixel } from "../pixel/activate.ts";
import type { Runtime } from "../runtime.ts";
import { recordInstall } from "../shops/install.ts";
import { forgetShop } from "../shops/lookup.ts";

export interface InstallOutcome {
  install: "first" | "reinstall" | "refresh";
  pixel: string;
  catalog: string;
}

/**
 * afterAuth: runs after every token exchange (a first install, a reinstall, or a new offline
 * token for a shop that stayed installed). Each step is idempotent, so running it again only
 * repairs: the shop row and default campaign exist, the pixel carries this app's URL and key,
 * and the catalog is synced on the first install or after a reinstall (product webhooks did
 * not arrive while the app was gone). A pixel or sync failure is not fatal: the merchant can
 * retry from the Dashboard and Catalog pages, and the SDK works without the pixel.
 */
export function afterInstall(runtime: Runtime, shop: string): Promise<InstallOutcome> {
  const running = installsOf(runtime);
  const pending = running.get(shop);
  if (pending) return pending;
  const install = installShop(runtime, shop).finally(() => running.delete(shop));
  running.set(shop, install);
  return install;
}

/**
 * Remix runs a page's loaders in parallel, each authenticating: the one whose token exchange
 * runs afterAuth installs the shop, and the library lets the others through at once. They
 * wait here, so no loader reads a shop that is not recorded yet.
 */
export async function installSettled(runtime: Runtime, shop: string): Promise<void> {
  await installsOf(runtime).get(shop)?.catch(() => undefined);
}

const installs = new WeakMap<Runtime, Map<string, Promise<InstallOutcome>>>();

function installsOf(runtime: Runtime): Map<string, Promise<InstallOutcome>> {
  let running = installs.get(runtime);
  if (!running) {
    running = new Map();
    installs.set(runtime, running);
  }
  return running;
}

async function installShop(runtime: Runtime, shop: string): Promise<InstallOutcome> {
  const { db } = runtime.database;
  const [before] = await db.select({ uninstalledAt: shops.uninstalledAt, catalog: shops.catalogSyncEnabled }).from(shops).where(eq(shops.shop, shop));
  const install: InstallOutcome["install"] = !before ? "first" : before.uninstalledAt ? "reinstall" : "refresh";
  await recordInstall(db, shop);
  forgetShop(db, shop);
  const pixel = await activateWebPixel(runtime, shop);
  const catalog = await startCatalog(runtime, shop, install, Boolean(before?.catalog));
  const outcome = { install, pixel: pixel.type === "failed" ? `failed: ${pixel.reason}` : pixel.type, catalog };
  runtime.logger.info({ shop, ...outcome }, "installed");
  return outcome;
}

async function startCatalog(runtime: Runtime, shop: string, install: InstallOutcome["install"], enabled: boolean): Promise<string> {
  if (install === "refresh") return "unchanged";
  // A first install turns Catalog Sync on; a reinstall keeps the merchant's choice.
  if (install === "first") {
    const toggled = await setCatalogSync(catalogDeps(runtime), shop, true);
    return toggled.type === "enabled" ? toggled.sync.type : toggled.type;
  }
  if (!enabled) return "off";
  return (await syncNow(catalogDeps(runtime), shop)).type;
}
