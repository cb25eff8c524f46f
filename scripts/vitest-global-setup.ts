// Browser and HTTP tests run the real built app: build it once before any test file starts.
import { buildIfStale } from "./build-if-stale.mjs";

export default function setup(): void {
  buildIfStale({ quiet: true });
}
