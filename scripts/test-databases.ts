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

/** The database of fork `poolId` in run `run` on the server of `baseUrl`: `<name>_r<run>_w<poolId>`. */
export function forkDatabaseUrl(baseUrl: string, run: number, poolId: string | number): string {
  const url = new URL(baseUrl);
  url.pathname = `${url.pathname.replace(/\/$/, "") || "/postgres"}_r${run}_w${poolId}`;
  return url.toString();
}

async function onServer<T>(baseUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * New, empty databases for this run's forks (as .ci/run makes the base one), named by the run's
 * pid so that two runs on one TEST_DATABASE_URL never meet; a killed run's are dropped by the next.
 * Returns the teardown that drops them.
 */
export async function createForkDatabases(baseUrl: string, run = process.pid, forks = TEST_FORKS): Promise<() => Promise<void>> {
  const names = Array.from({ length: forks }, (_, i) => new URL(forkDatabaseUrl(baseUrl, run, i + 1)).pathname.slice(1));
  const drop = (list: string[]) => onServer(baseUrl, async (client) => {
    for (const name of list) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
  await onServer(baseUrl, async (client) => {
    const prefix = new URL(forkDatabaseUrl(baseUrl, 0, 0)).pathname.slice(1).replace(/_r0_w0$/, "_r");
    const { rows } = await client.query<{ datname: string }>("select datname from pg_database where starts_with(datname, $1)", [prefix]);
    const orphans = rows.map((r) => r.datname).filter((name) => !alive(Number(/_r(\d+)_w\d+$/.exec(name)?.[1])));
    for (const name of orphans) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    for (const name of names) await client.query(`CREATE DATABASE "${name}"`);
  });
  return () => drop(names);
}

function alive(pid: number): boolean {
  if (!pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === "EPERM";
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
