#!/usr/bin/env node
// `npm start`: check the configuration, build the app if needed, then run the web process
// (with the campaign worker inline on the embedded default).
import { register } from "tsx/esm/api";
import { buildIfStale } from "./build-if-stale.mjs";

register();
const { main, readConfigOrExit } = await import("../app/server/main.ts");
readConfigOrExit();
try {
  buildIfStale();
} catch (error) {
  process.stderr.write(`cartback: ${error.message}\n`);
  process.exit(1);
}
await main().catch((error) => {
  process.stderr.write(`cartback: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
