#!/usr/bin/env node
// `npm start`: build the app if needed, then run the built web process (with the campaign
// worker inline on the embedded default). Plain Node: no TypeScript loader at run time.
import { buildAll } from "./build-if-stale.mjs";
import { loadBuild } from "./load-build.mjs";
import { seedPgliteDataDir } from "./pglite-template.mjs";

// `npm start` runs the app in production unless told otherwise: React's production build on the
// server, and the configuration's production checks (it refuses SHOPIFY_ADMIN_API_ORIGIN). Set
// before the server build is imported, since React picks its build when first loaded.
process.env.NODE_ENV ||= "production";

try {
  await buildAll();
} catch (error) {
  process.stderr.write(`cartback: ${error.message}\n`);
  process.exit(1);
}
// A new embedded database starts as a copy of the migrated template, not from initdb; the
// copy (disk) and the import of the server build (CPU) run side by side.
const seeded = process.env.DATABASE_URL ? false : seedPgliteDataDir(process.env.CARTBACK_DATA_DIR?.trim() || "./data");
const [{ build, clientDir, entry }] = await Promise.all([loadBuild(), seeded]);
await entry.runServer({ build, clientDir }).catch((error) => {
  process.stderr.write(`cartback: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
