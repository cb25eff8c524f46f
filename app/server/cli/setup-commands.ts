import { catalogDeps } from "../catalog/deps.ts";
import { catalogSyncStatus, progressLine } from "../catalog/status.ts";
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

/** `catalog <shop>` shows Catalog Sync; `catalog <shop> on|off` switches it (on starts a full sync). */
export async function catalog(runtime: Runtime, args: Args, out: Out) {
  const shop = shopArg(args, "cartback catalog <shop> [on|off]");
  const switchTo = args.positional[1];
  if (switchTo !== undefined && switchTo !== "on" && switchTo !== "off") throw new UsageError("usage: cartback catalog <shop> [on|off]");
  if (switchTo) {
    const result = await setCatalogSync(catalogDeps(runtime), shop, switchTo === "on");
    if (result.type === "unknown_shop") throw new UsageError(`no shop ${shop}`);
  }
  const status = await catalogSyncStatus(runtime.database.db, shop);
  out(status, progressLine(status));
}
