/**
 * The write ceiling of `npm run bench:ingest` (issue 18): a plain Node HTTP server that takes
 * the same bodies as POST /api/v1/events and POST /collect, parses them and writes each
 * request's events with one multi-row INSERT (autocommit, synchronous_commit on) into a table
 * with profile_events' columns and its 3 indexes, through a pool of 10. No stitching, no
 * profiles, no campaign hook: what this machine's PostgreSQL and Node do for "store what came".
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";

const TABLE = "bench_ceiling_events";

export interface CeilingServer {
  url: string;
  close(): Promise<void>;
}

export async function startCeilingServer(databaseUrl: string): Promise<CeilingServer> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  await pool.query(`drop table if exists ${TABLE}`);
  await pool.query(`create table ${TABLE} (shop text not null, id text not null, profile_id text not null, name text not null,
    source text not null, occurred_at timestamptz not null, received_at timestamptz not null, body jsonb not null, primary key (shop, id))`);
  await pool.query(`create index ${TABLE}_profile_idx on ${TABLE} (shop, profile_id, occurred_at)`);
  await pool.query(`create index ${TABLE}_occurred_idx on ${TABLE} (shop, occurred_at)`);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      store(pool, req.url ?? "", Buffer.concat(chunks).toString("utf8")).then(
        (count) => answer(res, 200, { accepted: count }),
        (error: unknown) => answer(res, 500, { error: String(error) }),
      );
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await pool.query(`drop table if exists ${TABLE}`);
      await pool.end();
    },
  };
}

function answer(res: http.ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) }).end(text);
}

interface Item {
  id?: string;
  name?: string;
  clientId?: string;
  occurredAt?: string;
  timestamp?: string;
}

/** One INSERT of every event in the body; the shop from /collect's body or a fixed one for the API. */
async function store(pool: pg.Pool, url: string, raw: string): Promise<number> {
  const body = JSON.parse(raw) as { shop?: string; events: Item[] };
  const shop = body.shop ?? "api";
  const received = new Date().toISOString();
  const rows = body.events.map((e) => ({
    shop,
    id: String(e.id),
    profile_id: String(e.clientId ?? e.id),
    name: String(e.name),
    source: url.startsWith("/collect") ? "pixel" : "api",
    occurred_at: e.occurredAt ?? e.timestamp ?? received,
    received_at: received,
    body: e,
  }));
  const result = await pool.query(
    `insert into ${TABLE} (shop, id, profile_id, name, source, occurred_at, received_at, body)
     select x.shop, x.id, x.profile_id, x.name, x.source, x.occurred_at, x.received_at, x.body
     from jsonb_to_recordset($1::jsonb) as x(shop text, id text, profile_id text, name text, source text, occurred_at timestamptz, received_at timestamptz, body jsonb)
     on conflict do nothing`,
    [JSON.stringify(rows)],
  );
  return result.rowCount ?? 0;
}
