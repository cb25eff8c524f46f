import { randomBytes } from "node:crypto";
import pg from "pg";

/** The databases a black-box test runs on: PGlite always, PostgreSQL too when TEST_DATABASE_URL is set. */
export type DatabaseKind = "pglite" | "postgres";

export function availableDatabases(env: NodeJS.ProcessEnv = process.env): DatabaseKind[] {
  return env.TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];
}

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A fresh, uniquely named database on the server of TEST_DATABASE_URL (one per app process,
 * so runs never see each other's rows); `drop()` removes it, closing what is still connected.
 */
export async function createScratchDatabase(baseUrl = process.env.TEST_DATABASE_URL): Promise<ScratchDatabase> {
  if (!baseUrl) throw new Error("TEST_DATABASE_URL is not set");
  const name = `cb_e2e_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  await admin(baseUrl, `CREATE DATABASE ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin(baseUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function admin(baseUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
