// What the unit suite's forks share and what each has alone. Each fork (VITEST_POOL_ID) gets its
// own PostgreSQL database: worker tests claim every due episode across shops, so two forks on one
// database would take each other's work. Every PGlite starts from one migrated in-memory dump
// instead of initdb (seconds per test file on a loaded machine); migrations still run on it.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";

/** Forks of the unit suite (vitest.config.ts maxWorkers); each has its own PostgreSQL database. */
export const TEST_FORKS = Math.max(1, Math.floor(Number(process.env.CARTBACK_TEST_FORKS)) || 2);

const root = path.resolve(import.meta.dirname, "..");
const MIGRATIONS = path.join(root, "db/migrations");

/** The database of fork `poolId` on the server of `baseUrl`: `<name>_w<poolId>`. */
export function forkDatabaseUrl(baseUrl: string, poolId: string | number): string {
  const url = new URL(baseUrl);
  url.pathname = `${url.pathname.replace(/\/$/, "") || "/postgres"}_w${poolId}`;
  return url.toString();
}

/** Creates the forks' databases that do not exist yet (kept between runs, like the base one). */
export async function createForkDatabases(baseUrl: string, forks = TEST_FORKS): Promise<void> {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    for (let pool = 1; pool <= forks; pool++) {
      const name = new URL(forkDatabaseUrl(baseUrl, pool)).pathname.slice(1);
      const { rowCount } = await client.query("select 1 from pg_database where datname = $1", [name]);
      // Two runs starting at once may both try: the loser's duplicate_database is harmless.
      if (!rowCount) await client.query(`CREATE DATABASE "${name}"`).catch((error: { code?: string }) => {
        if (error.code !== "42P04") throw error;
      });
    }
  } finally {
    await client.end();
  }
}

function migrationsHash(): string {
  const hash = createHash("sha256");
  const pglite = JSON.parse(readFileSync(path.join(root, "node_modules/@electric-sql/pglite/package.json"), "utf8"));
  hash.update(pglite.version);
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else hash.update(entry.name).update(readFileSync(full));
    }
  };
  walk(MIGRATIONS);
  return hash.digest("hex").slice(0, 16);
}

/** The path of a migrated in-memory PGlite dump (dumpDataDir), made once per set of migrations. */
export async function ensurePgliteDump(): Promise<string> {
  const file = path.join(root, ".cache", `pglite-test-${migrationsHash()}.tar`);
  if (existsSync(file)) return file;
  const [{ PGlite }, { drizzle }, { migrate }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("drizzle-orm/pglite"),
    import("drizzle-orm/pglite/migrator"),
  ]);
  const client = await PGlite.create();
  try {
    await migrate(drizzle({ client }), { migrationsFolder: MIGRATIONS });
    const dump = await client.dumpDataDir("none");
    mkdirSync(path.dirname(file), { recursive: true });
    const scratch = `${file}.${process.pid}`;
    writeFileSync(scratch, Buffer.from(await dump.arrayBuffer()));
    renameSync(scratch, file);
  } finally {
    await client.close();
  }
  return file;
}
