#!/usr/bin/env node
// `npm start`: build the app if needed, then run the web process (with the worker inline).
import { register } from "tsx/esm/api";
import { buildIfStale } from "./build-if-stale.mjs";

try {
  buildIfStale();
} catch (error) {
  process.stderr.write(`cartback: ${error.message}\n`);
  process.exit(1);
}
register();
const { main } = await import("../app/server/main.ts");
await main();
