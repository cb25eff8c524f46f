// A fresh PGlite data directory costs seconds of initdb and migrations, most of a cold
// `npm start`. The first build makes one, migrated, under .cache/; a start whose data
// directory has no database yet copies it (a cleanly shut down cluster copies as files) and
// then opens it as an existing one; migrations newer than the template still apply at open.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import { once } from "node:events";
import { Worker } from "node:worker_threads";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const TEMPLATE = path.join(root, ".cache/pglite-template");
const JOURNAL = path.join(root, "db/migrations/meta/_journal.json");

/** Makes the template when it is missing or older than the newest migration (synchronously). */
export function ensurePgliteTemplate() {
  const made = existsSync(TEMPLATE) ? statSync(TEMPLATE).mtimeMs : 0;
  if (made > statSync(JOURNAL).mtimeMs) return false;
  const scratch = `${TEMPLATE}.${process.pid}`;
  rmSync(scratch, { recursive: true, force: true });
  // PGlite creates the data directory but not its parents (.cache/ is absent on a fresh clone).
  mkdirSync(path.dirname(TEMPLATE), { recursive: true });
  const result = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--make", scratch], { stdio: "pipe", maxBuffer: 16 * 1024 * 1024 });
  if (result.status !== 0) {
    // Only a start-up shortcut: without it the first start runs initdb itself.
    rmSync(scratch, { recursive: true, force: true });
    const reason = String(result.stderr ?? "").trim().split("\n").find((line) => /error/i.test(line)) ?? `exit ${result.status}`;
    process.stderr.write(`cartback: no PGlite template (the first start runs initdb itself): ${reason}\n`);
    return false;
  }
  rmSync(TEMPLATE, { recursive: true, force: true });
  renameSync(scratch, TEMPLATE);
  return true;
}

/**
 * Gives `dataDir` a database copied from the template when it has none yet. The copy (1,100
 * files, 40 MB) runs on a worker thread, so `npm start` imports the server build meanwhile
 * (fs.promises.cp would need the busy main thread between files).
 */
export async function seedPgliteDataDir(dataDir) {
  const target = path.resolve(dataDir, "pglite");
  if (existsSync(target) || !existsSync(path.join(TEMPLATE, "PG_VERSION"))) return false;
  mkdirSync(path.dirname(target), { recursive: true });
  const scratch = `${target}.seed-${process.pid}`;
  const copier = new Worker("require('node:fs').cpSync(...require('node:worker_threads').workerData, { recursive: true })", {
    eval: true,
    workerData: [TEMPLATE, scratch],
  });
  const [code] = await once(copier, "exit");
  if (code !== 0) cpSync(TEMPLATE, scratch, { recursive: true });
  try {
    renameSync(scratch, target);
  } catch {
    // Another process seeded it first: theirs is as good.
    rmSync(scratch, { recursive: true, force: true });
  }
  return true;
}

async function makeTemplate(dir) {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  const client = await PGlite.create({ dataDir: dir });
  await migrate(drizzle({ client }), { migrationsFolder: path.join(root, "db/migrations") });
  await client.close();
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === "--make") await makeTemplate(process.argv[3]);
