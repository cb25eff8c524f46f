/**
 * bench:webhooks' ceiling, a child process: the least a webhook receiver can do before its
 * 200 and still lose nothing acknowledged. It reads the body, checks the HMAC, and stores the
 * raw delivery with one INSERT (own connection pool of 10, synchronous_commit on) into a table
 * with webhook_inbox's columns and unique key, then answers. No Express, no Remix, no ingest.
 * argv: databaseUrl secret. Prints `listening <url>` on stdout.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import pg from "pg";

const [databaseUrl, secret] = process.argv.slice(2) as [string, string];
const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });

await pool.query(`create table if not exists ceiling_webhook_inbox (
  id bigserial primary key, shop text not null, webhook_id text not null, topic text not null, body text not null,
  received_at timestamptz not null default now(), available_at timestamptz not null default now(),
  lease_owner text, attempts int not null default 0, last_error text, unique (shop, webhook_id))`);

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const body = Buffer.concat(chunks);
    const expected = createHmac("sha256", secret).update(body).digest();
    const given = Buffer.from(String(req.headers["x-shopify-hmac-sha256"] ?? ""), "base64");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.writeHead(401).end();
      return;
    }
    const header = (name: string) => String(req.headers[name] ?? "");
    pool
      .query("insert into ceiling_webhook_inbox (shop, webhook_id, topic, body) values ($1, $2, $3, $4) on conflict do nothing", [
        header("x-shopify-shop-domain"),
        header("x-shopify-webhook-id"),
        header("x-shopify-topic"),
        body.toString("utf8"),
      ])
      .then(
        () => res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}'),
        () => res.writeHead(503).end(),
      );
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(`listening http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}\n`);
});
process.on("SIGTERM", () => {
  server.close();
  void pool.end().then(() => process.exit(0));
});
