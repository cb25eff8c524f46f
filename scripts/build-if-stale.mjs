// Builds the Remix app when its output is missing or older than any source it is built from,
// so that `npm start` works on a fresh clone and stays fast on every start after that.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ensurePgliteTemplate } from "./pglite-template.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const output = path.join(root, "app/build/server/index.js");
const SKIP = new Set([".build-lock", "node_modules", "build", "dist", "data", "test-artifacts", ".cache"]);

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name) || entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(full));
    else if (!entry.name.includes(".test.")) latest = Math.max(latest, statSync(full).mtimeMs);
  }
  return latest;
}

/** The storefront SDK, bundled into the theme app embed's assets (`shopify app deploy` ships it). */
async function buildSdkIfStale() {
  const asset = path.join(root, "extensions/cart-tracker/assets/cartback.js");
  const built = existsSync(asset) ? statSync(asset).mtimeMs : 0;
  if (built > newest(path.join(root, "packages/sdk/src"))) return;
  const { buildSdk } = await import("../packages/sdk/scripts/build.mjs");
  await buildSdk(asset);
}

export async function buildAll(options = {}) {
  await buildSdkIfStale();
  const built = buildIfStale(options);
  // The migrated PGlite database a cold start copies (pglite-template.mjs); PostgreSQL needs none.
  if (!process.env.DATABASE_URL) ensurePgliteTemplate();
  return built;
}

// Several processes may start at once (test workers, a second `npm start`): one builds, the
// others wait for it and then find the build fresh. A lock left by a dead process is taken over.
const LOCK = path.join(root, "app/.build-lock");

function withBuildLock(fn) {
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(path.join(LOCK, "pid"), String(process.pid));
      break;
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
      if (!holderAlive()) rmSync(LOCK, { recursive: true, force: true });
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

function holderAlive() {
  let pid;
  try {
    pid = Number(readFileSync(path.join(LOCK, "pid"), "utf8"));
  } catch {
    // Just created, pid not written yet: give it a moment.
    return statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs > Date.now() - 5_000;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}

export function buildIfStale(options = {}) {
  return withBuildLock(() => buildIfStaleUnlocked(options));
}

// `npm start` shows one line while it builds and the bundler's own output only when the build
// fails (its warnings about third-party bundles are for whoever changes the build, not for a
// merchant starting the app); `npm run build` (verbose) shows all of it.
function buildIfStaleUnlocked({ quiet = false, verbose = false } = {}) {
  const sources = ["app", "packages", "db/src"].map((d) => path.join(root, d)).filter(existsSync);
  const built = existsSync(output) ? statSync(output).mtimeMs : 0;
  if (built > Math.max(...sources.map(newest))) return false;
  if (!quiet) process.stdout.write("Building the admin app (first start or sources changed)…\n");
  const result = spawnSync(process.execPath, [path.join(root, "node_modules/@remix-run/dev/dist/cli.js"), "vite:build"], {
    cwd: path.join(root, "app"),
    // Vite keeps a NODE_ENV it is given: a build started by vitest (NODE_ENV=test) shipped React's
    // development build (client JS +190 KB minified), which e2e tests and a later `npm start` then served.
    env: { ...process.env, NODE_ENV: "production" },
    stdio: verbose ? "inherit" : "pipe",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout ?? ""}${result.stderr ?? ""}`);
    throw new Error("the app build failed");
  }
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildAll({ verbose: true });
