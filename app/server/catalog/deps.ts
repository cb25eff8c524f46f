import type { Runtime } from "../runtime.ts";
import { adminClientFor } from "../shopify/admin-runtime.ts";
import type { CatalogDeps } from "./sync.ts";

export function catalogDeps(runtime: Runtime): CatalogDeps {
  return { database: runtime.database, admin: adminClientFor(runtime), logger: runtime.logger };
}

const pending = new WeakMap<Runtime, Set<Promise<unknown>>>();

/**
 * Runs catalog work after the response (a bulk result takes longer than Shopify waits for
 * a webhook answer). Failures are logged; the sync record already says what went wrong.
 */
export function inBackground(runtime: Runtime, what: string, work: () => Promise<unknown>): void {
  const set = pending.get(runtime) ?? new Set();
  pending.set(runtime, set);
  const promise = work()
    .catch((error: unknown) => runtime.logger.error({ err: error }, `${what} failed`))
    .finally(() => set.delete(promise));
  set.add(promise);
}

/** Resolves when background catalog work started so far has finished (tests, shutdown). */
export async function catalogWorkSettled(runtime: Runtime): Promise<void> {
  const set = pending.get(runtime);
  while (set && set.size > 0) await Promise.all([...set]);
}
