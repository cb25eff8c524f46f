// `npm run fuzz [-- --runs N --database pglite|postgres|both --concurrency C --seed S --max-seconds T]`
// Generated hostile requests (fast-check) against every public endpoint of Cartback started as
// `npm start` does, after a merchant's setup over HTTP. Passes when no answer is >= 500, no
// connection hangs and the process never exits; prints and writes bench/results/fuzz.md.
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { availableDatabases, type DatabaseKind, signInMerchant, startAppProcess } from "@cartback/testing";
import { machineLine } from "../bench/machine.ts";
import { type FuzzReport, runFuzz } from "./fuzz/runner.ts";

function flag(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 && process.argv[index + 1] ? process.argv[index + 1]! : fallback;
}

const runs = Number(flag("runs", "100000"));
const concurrency = Number(flag("concurrency", "8"));
const seed = Number(flag("seed", String(Date.now() % 2 ** 31)));
const which = flag("database", "both");
const maxSeconds = Number(flag("max-seconds", "86400"));
if (!Number.isInteger(runs) || runs < 1 || !["pglite", "postgres", "both"].includes(which)) {
  process.stderr.write("usage: npm run fuzz -- [--runs N] [--database pglite|postgres|both] [--concurrency C] [--seed S] [--max-seconds T] [--out FILE]\n");
  process.exit(2);
}
const databases: DatabaseKind[] = which === "both" ? availableDatabases() : [which as DatabaseKind];
if (which === "postgres" && !process.env.TEST_DATABASE_URL) {
  process.stderr.write("--database postgres needs TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres): a scratch database is created from it\n");
  process.exit(2);
}
if (which === "both" && databases.length < 2) process.stderr.write("TEST_DATABASE_URL is not set: PGlite only\n");

const machine = machineLine();
// Both databases at once: each run has its own server process, and the machine's two cores
// are shared either way.
const results = await Promise.all(databases.map((database) => fuzzOne(database)));
const loadAtEnd = os.loadavg().map((l) => l.toFixed(1)).join(" / ");

interface Conflicts {
  deadlocks: number;
  serializationFailures: number;
}

async function fuzzOne(database: DatabaseKind): Promise<{ database: DatabaseKind; report: FuzzReport; causes: Map<string, number>; conflicts: Conflicts | null }> {
  const app = await startAppProcess({ database });
  let exited = false;
  app.child.once("exit", () => (exited = true));
  try {
    const merchant = await signInMerchant(app);
    const target = { appUrl: app.url, shop: app.shop, secret: app.secret, apiKey: await merchant.createApiKey(), pixelKey: await merchant.pixelKey() };
    const report = await runFuzz({
      base: app.url,
      pid: app.child.pid!,
      target,
      runs,
      seed,
      concurrency,
      deadline: Date.now() + maxSeconds * 1000,
      exited: () => exited,
      onProgress: (done, r) => {
        if (done % 5_000 === 0 || done === runs) process.stderr.write(`[${database}] ${done}/${runs} sent, ${r.serverErrors.length} 5xx, RSS ${r.rssMb.at(-1)?.toFixed(0)} MB\n`);
      },
    });
    // Lost deadlocks the server ran again: 0 when every writer takes a shopper's locks in one order.
    const health = await fetch(`${app.url}/healthz`).then((r) => r.json() as Promise<{ database?: { conflictRetries?: Conflicts } }>).catch(() => null);
    const { stdout, stderr } = app.output();
    const errors = `${stdout}\n${stderr}`.split("\n").filter((line) => /"level":(50|60)/.test(line));
    if (report.serverErrors.length || exited) process.stderr.write(`[${database}] server error log:\n${errors.slice(-20).join("\n").slice(-20_000)}\n${exited ? stderr.slice(-4000) : ""}\n`);
    return { database, report, causes: errorCauses(errors), conflicts: health?.database?.conflictRetries ?? null };
  } finally {
    await app.stop();
  }
}

/** The server's logged errors, by their innermost cause ("deadlock detected", …). */
function errorCauses(lines: string[]): Map<string, number> {
  const causes = new Map<string, number>();
  for (const line of lines) {
    const message = /caused by: ([^\\"]+)/.exec(line)?.[1] ?? /"message":"([^"\\]{0,120})/.exec(line)?.[1] ?? "?";
    causes.set(message, (causes.get(message) ?? 0) + 1);
  }
  return causes;
}

const markdown = render();
writeFileSync(path.resolve(flag("out", path.resolve(import.meta.dirname, "../bench/results/fuzz.md"))), markdown);
process.stdout.write(markdown);
const failed = results.some(({ report }) => report.serverErrors.length > 0 || report.hangs.length > 0 || report.exited);
process.exit(failed ? 1 : 0);

function render(): string {
  const mb = (n: number | undefined) => `${(n ?? 0).toFixed(0)} MB`;
  const lines = [
    "## Fuzz: hostile requests against every public endpoint (`npm run fuzz`)",
    "",
    `${machine} Load average at end: ${loadAtEnd}.`,
    "",
    `Up to ${runs.toLocaleString("en")} generated requests per database${maxSeconds < 86400 ? ` within ${maxSeconds} s` : ""} (fast-check seed ${seed}, ${concurrency} in flight over kept-alive connections) against the app started as \`npm start\` does, after a merchant's setup over HTTP (events API key, pixel key). Inputs: valid events with one field made hostile (NUL, lone surrogates, year 0 and ±275760 dates, 1e308, 400-digit numbers, wrong types, any JSON), raw JSON with 1e999 and up to 100,000 levels of nesting, broken JSON, signed and unsigned webhooks for every topic with mutated Shopify-shaped payloads, signed and unsigned app proxy queries, catalog names and CSVs with path junk (%00, ../, 20,000 characters), unsubscribe and login forms (urlencoded and broken multipart), wrong content types and odd headers. RSS of the server process sampled every 3 s.`,
    "",
  ];
  for (const { database, report, causes, conflicts } of results) {
    const rss = report.rssMb;
    lines.push(
      `### ${database}: ${report.runs.toLocaleString("en")} requests in ${report.seconds.toFixed(0)} s (${(report.runs / report.seconds).toFixed(0)}/s) — **${report.serverErrors.length} answers >= 500**, ${report.hangs.length} hung connections, process ${report.exited ? "**EXITED**" : "still running"}`,
      "",
      `RSS: first ${mb(rss[0])}, last ${mb(rss.at(-1))}, max ${mb(Math.max(...rss))} (${rss.length} samples). Connection errors: ${report.connectionErrors}; requests node:http would not send: ${report.unsendable}. Transactions run again after a lost conflict (the server's /healthz at the end): ${conflicts ? `${conflicts.deadlocks} deadlocks, ${conflicts.serializationFailures} serialization failures` : "not reported"}.`,
      "",
      "| endpoint | sent | 2xx | 3xx | 4xx | 5xx |",
      "|---|---:|---:|---:|---:|---:|",
      ...[...report.endpoints.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, row]) => `| ${name} | ${row.sent} | ${row.byClass["2xx"] ?? 0} | ${row.byClass["3xx"] ?? 0} | ${row.byClass["4xx"] ?? 0} | ${row.byClass["5xx"] ?? 0} |`),
      "",
    );
    if (causes.size) lines.push(`Errors in the server's log, by cause: ${[...causes].map(([cause, n]) => `${n} × ${cause}`).join("; ")}.`, "");
    for (const { request, answer } of [...report.serverErrors, ...report.hangs].slice(0, 5)) {
      lines.push(`- ${request.method} ${request.path.slice(0, 200)} headers ${JSON.stringify(request.headers).slice(0, 400)} body ${JSON.stringify(request.body ?? "").slice(0, 400)} → ${answer.status} ${JSON.stringify(answer.body.slice(0, 300))}`);
    }
  }
  return `${lines.join("\n").trim()}\n`;
}
