import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import type * as Entry from "../entry.server.tsx";
import type { BuiltApp } from "./main.ts";

/** What app/build/server/index.js exports from entry.server.tsx: the process entry points. */
export type BuiltEntry = typeof Entry;

export const APP_BUILD_DIR = path.resolve(import.meta.dirname, "../build");

/**
 * The server build, loaded as `npm start` loads it (scripts/start.mjs): tests and benches
 * start the server through the build's own entry points, never from source beside it.
 */
export async function loadBuiltApp(): Promise<BuiltApp & { entry: BuiltEntry }> {
  const build = (await import(pathToFileURL(path.join(APP_BUILD_DIR, "server/index.js")).href)) as ServerBuild;
  return { build, clientDir: path.join(APP_BUILD_DIR, "client"), entry: build.entry.module as unknown as BuiltEntry };
}
