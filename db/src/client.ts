import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { lockDataDir } from "./data-dir-lock.ts";
import * as schema from "./schema/index.ts";

export type Schema = typeof schema;
/** The Drizzle handle every repository takes: the same type on PGlite and PostgreSQL. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface SqlRows {
  rows: Record<string, unknown>[];
}

export interface Database {
  readonly kind: "pglite" | "postgres";
  readonly db: Db;
  /** Raw parameterised SQL, for adapters (COPY-free bulk paths) that need it. */
  query(text: string, params?: unknown[]): Promise<SqlRows>;
  ping(): Promise<boolean>;
  /**
   * A Db on connections of its own, for short writes an answer waits on (the webhook inbox's
   * INSERT), so that they never queue behind long transactions for the shared pool. PostgreSQL:
   * a pool of `max` more connections, closed with this database. PGlite: this db (one connection).
   */
  dedicated(max: number): Db;
  /** Applies pending migrations; safe to call from several processes at once. */
  migrate(): Promise<void>;
  close(): Promise<void>;
}

// Resolved through the package, not this file's URL: the app's server build bundles this
// module into app/build/server, where a path relative to the file would point nowhere.
export const MIGRATIONS_DIR = path.join(path.dirname(createRequire(import.meta.url).resolve("@cartback/db/package.json")), "migrations");

// Several web processes and workers may start together against one PostgreSQL:
// an advisory lock makes exactly one of them apply pending migrations.
const MIGRATION_LOCK = 7_243_112_019;

export interface OpenOptions {
  /** postgres://… — when absent, an embedded PGlite database under dataDir. */
  url?: string;
  dataDir?: string;
  /** In-memory PGlite (tests). */
  memory?: boolean;
  /** In-memory PGlite starts from this dumpDataDir() archive instead of initdb (tests). */
  loadDataDir?: Blob;
  poolSize?: number;
  migrate?: boolean;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  const database = options.url
    ? await openPostgres(options.url, options.poolSize ?? 10)
    : await openPglite(options);
  if (options.migrate !== false) {
    // A failed migration must not keep the PGlite directory locked.
    await database.migrate().catch(async (error: unknown) => {
      await database.close().catch(() => {});
      throw error;
    });
  }
  return database;
}

// PGlite (and its ~40 MB of WebAssembly) is loaded only by processes that use it.
async function openPglite(options: OpenOptions): Promise<Database> {
  const [{ PGlite }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("drizzle-orm/pglite"),
    import("drizzle-orm/pglite/migrator"),
  ]);
  let dir: string | undefined;
  let unlock = () => {};
  if (!options.memory) {
    dir = path.resolve(options.dataDir ?? "./data", "pglite");
    mkdirSync(dir, { recursive: true });
    // Throws DataDirLockedError (naming the holder's pid) when another process has it open.
    unlock = lockDataDir(`${dir}.lock`, options.dataDir ?? "./data");
  }
  const client = await PGlite.create(dir ? { dataDir: dir } : { loadDataDir: options.loadDataDir }).catch((error: unknown) => {
    unlock();
    throw error;
  });
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  return {
    kind: "pglite",
    db,
    async query(text, params) {
      const result = await client.query<Record<string, unknown>>(text, params as unknown[]);
      return { rows: result.rows };
    },
    async ping() {
      await client.query("select 1");
      return true;
    },
    dedicated: () => db,
    async close() {
      try {
        await client.close();
      } finally {
        unlock();
      }
    },
    async migrate() {
      await migratePglite(drizzlePglite({ client }), { migrationsFolder: MIGRATIONS_DIR });
    },
  };
}

function openPool(url: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle client that errors (server restart) must not crash the process.
  pool.on("error", () => {});
  // Nor a checked-out one (a transaction in flight when the connection drops): pg emits
  // 'error' on it besides failing its query, and the pool drops it on release.
  pool.on("connect", (client) => client.on("error", () => {}));
  return pool;
}

async function openPostgres(url: string, max: number): Promise<Database> {
  const pool = openPool(url, max);
  const own: pg.Pool[] = [];
  const db = drizzlePg({ client: pool, schema }) as unknown as Db;
  return {
    kind: "postgres",
    db,
    async query(text, params) {
      const result = await pool.query(text, params as unknown[]);
      return { rows: result.rows as Record<string, unknown>[] };
    },
    async ping() {
      await pool.query("select 1");
      return true;
    },
    dedicated(size) {
      const dedicated = openPool(url, size);
      own.push(dedicated);
      return drizzlePg({ client: dedicated, schema }) as unknown as Db;
    },
    async close() {
      await Promise.all([pool.end(), ...own.map((p) => p.end())]);
    },
    async migrate() {
      const lock = await pool.connect();
      try {
        await lock.query("select pg_advisory_lock($1)", [MIGRATION_LOCK]);
        await migratePg(drizzlePg({ client: lock }), { migrationsFolder: MIGRATIONS_DIR });
      } finally {
        await lock.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => {});
        lock.release();
      }
    },
  };
}
