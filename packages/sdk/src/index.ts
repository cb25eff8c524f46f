// The public API, listed by hand: everything else is internal and may change.
import { Client, type Config } from "./client.ts";
import type { TrackedEvent, Traits } from "./events.ts";

export type { Config } from "./client.ts";
export type { TrackedEvent, Traits } from "./events.ts";

let client: Client | null = null;

/** Starts the SDK once per page; later calls return the running instance. */
export function init(config: Config): Client {
  if (client === null) client = new Client(window, config);
  return client;
}

/** One of the six events the app accepts, with its fields: `track({ name: "Added to Cart", variantId, quantity })`. */
export function track(event: TrackedEvent): void {
  client?.track(event);
}

export function identify(traits: Traits): void {
  client?.identify(traits);
}

export function flush(): Promise<void> {
  return client ? client.flush() : Promise.resolve();
}

export function reset(): void {
  client?.reset();
}
