// Loads the server build that `npm start` and `npm run worker` run: the process entry points
// are exported by app/entry.server.tsx, so they and the routes are one module graph.
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const buildDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../app/build");

export async function loadBuild() {
  const build = await import(pathToFileURL(path.join(buildDir, "server/index.js")).href);
  return { build, clientDir: path.join(buildDir, "client"), entry: build.entry.module };
}
