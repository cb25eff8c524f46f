// The scratch PostgreSQL database of one bench run. Its server comes from the environment
// (BENCH_POSTGRES_URL, port overridable by BENCH_PGPORT) and so does its name (BENCH_DATABASE);
// without a name each run gets its own, so two benches (or two people) on one server never
// drop each other's data. Only a database this run created is dropped, and never `with (force)`.
import { randomBytes } from "node:crypto";
import pg from "pg";

export interface BenchDatabase {
  name: string;
  /** Connection URL of the scratch database. */
  url: string;
  /** Drops the database if this run created it (connections must be closed first). */
  drop(): Promise<void>;
}

/** The server to create scratch databases on, as an URL of its `postgres` database. */
export function benchServerUrl(env: NodeJS.ProcessEnv = process.env): URL {
  const url = new URL(env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres");
  if (env.BENCH_PGPORT) url.port = env.BENCH_PGPORT;
  return url;
}

/** `cartback_bench_<purpose>_<random>` unless BENCH_DATABASE names it. */
export function benchDatabaseName(purpose: string, env: NodeJS.ProcessEnv = process.env): string {
  const name = env.BENCH_DATABASE ?? `cartback_bench_${purpose}_${randomBytes(4).toString("hex")}`;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`BENCH_DATABASE must be a plain lower-case identifier, got ${JSON.stringify(name)}`);
  return name;
}

/**
 * Creates the scratch database. A name that already exists is refused rather than dropped:
 * it may be someone else's run.
 */
export async function createBenchDatabase(purpose: string, env: NodeJS.ProcessEnv = process.env): Promise<BenchDatabase> {
  const server = benchServerUrl(env);
  const name = benchDatabaseName(purpose, env);
  await withAdmin(server, async (admin) => {
    const exists = await admin.query("select 1 from pg_database where datname = $1", [name]);
    if (exists.rowCount) throw new Error(`database ${name} already exists; set BENCH_DATABASE to a new name or drop it yourself`);
    await admin.query(`create database ${name}`);
  });
  const url = new URL(server);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    name,
    url: url.toString(),
    async drop() {
      if (dropped || env.BENCH_KEEP_DATABASE) return;
      dropped = true;
      await withAdmin(server, (admin) => admin.query(`drop database if exists ${name}`));
    },
  };
}

/** Creates the database a full URL names, when it does not exist yet (benches that keep their data between runs). */
export async function ensureDatabaseAt(url: string): Promise<void> {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  target.pathname = "/postgres";
  await withAdmin(target, async (admin) => {
    const { rowCount } = await admin.query("select 1 from pg_database where datname = $1", [name]);
    if (!rowCount) await admin.query(`create database "${name.replace(/"/g, "")}"`);
  });
}

/** Drops and creates `name` on the server `adminUrl` points at; returns its URL (probes that start from nothing). */
export async function recreateDatabase(adminUrl: string, name: string): Promise<string> {
  const server = new URL(adminUrl);
  await withAdmin(server, async (admin) => {
    await admin.query(`drop database if exists ${name}`);
    await admin.query(`create database ${name}`);
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdmin<T>(server: URL, work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: server.toString() });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}
