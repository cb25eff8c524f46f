// Bundles the storefront SDK into the theme app extension's assets (one ES2019 IIFE).
// Usage: node packages/sdk/scripts/build.mjs [outfile]
import { build } from "esbuild";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../../..");
const defaultOutfile = path.join(root, "extensions/cart-tracker/assets/cartback.js");

// The outfile comes from argv only when run as a script: an importer's own argv (e.g. the
// simulator's `--port 4000`) must not become a file name.
export async function buildSdk(target = defaultOutfile) {
  await build({
    entryPoints: [path.join(here, "../src/browser.ts")],
    outfile: target,
    bundle: true,
    format: "iife",
    target: "es2019",
    minify: true,
    legalComments: "none",
    // Plain assignments instead of a defineProperty helper per class field: the same behaviour
    // for our classes, and fewer bytes under the size budget.
    tsconfigRaw: { compilerOptions: { useDefineForClassFields: false } },
    logLevel: "warning",
  });
  return target;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildSdk(process.argv[2] ?? defaultOutfile);
}
