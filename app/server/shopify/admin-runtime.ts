import type { Runtime } from "../runtime.ts";
import { type AdminClient, createAdminClient } from "./admin-client.ts";

const clients = new WeakMap<Runtime, AdminClient>();

/** One Admin client per process, so every caller shares its throttle readings per shop. */
export function adminClientFor(runtime: Runtime): AdminClient {
  let client = clients.get(runtime);
  if (!client) {
    client = createAdminClient({ config: runtime.config, database: runtime.database, logger: runtime.logger });
    clients.set(runtime, client);
  }
  return client;
}
