#!/usr/bin/env node
// Assembles BENCHMARKS.md from the sections each `npm run bench:*` writes to bench/results/.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ORDER = ["journeys", "soak", "ingest", "http-floor", "web-tier", "webhooks", "history", "catalog", "scheduler", "rate-limits", "render", "report-queries", "editor", "start", "fuzz"];

/** Section files in reading order: the listed ones first, then any other alphabetically. */
export function orderSections(files) {
  const rank = (f) => {
    const at = ORDER.indexOf(f.replace(/\.md$/, ""));
    return at === -1 ? ORDER.length : at;
  };
  return files.filter((f) => f.endsWith(".md")).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/**
 * Where and when a section was measured, read from its own text: each bench writes its machine
 * line ("Machine: AMD EPYC, 2 cores, …" or "… · AMD EPYC, 2 cores, …") and an ISO time.
 */
export function machineOf(section) {
  const title = /^##\s+(.+)$/m.exec(section)?.[1]?.trim() ?? "(untitled)";
  const machine = /(?:Machine: |\bon |· )([^,·\n]+?), (\d+) cores/.exec(section);
  const date = /\b(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(section);
  return {
    title,
    machine: machine ? `${machine[1].trim()}, ${machine[2]} cores` : null,
    date: date ? `${date[1]} ${date[2]} UTC` : null,
  };
}

const COMMANDS = `| command | what | needs |
|---|---|---|
| \`npm run e2e:journeys\` | 500 webhook-only journeys against the built server: precision, recall, mailed twice | PGlite; PostgreSQL too with \`TEST_DATABASE_URL\` |
| \`npm run soak\` | 10 minutes of mixed traffic on PostgreSQL: errors, p99 and RSS per minute, then the journey check | \`TEST_DATABASE_URL\` |
| \`npm run bench:ingest\` | events/s into the real server on PostgreSQL vs a write ceiling (one INSERT per request) run after each phase | PostgreSQL (\`BENCH_POSTGRES_URL\`) |
| \`npm run bench:http-floor\` | a bare Node server (answers 204, no parse, no database) under bench:ingest's \`/collect\` load: what the machine allows before any app code | nothing |
| \`npm run bench:web-tier\` | \`/collect\` bursts into a web process with \`CARTBACK_WORKER=off\`, alternately with no worker anywhere and with one \`npm run worker\` beside it | PostgreSQL (\`BENCH_POSTGRES_URL\`) |
| \`npm run bench:webhooks\` | signed webhooks/s into the app as \`npm start\` runs it | PostgreSQL (\`BENCH_POSTGRES_URL\`) |
| \`npm run bench:history\` | a returning shopper's next event with a stored fold vs reading the whole history | PostgreSQL (\`BENCH_POSTGRES_URL\`) |
| \`npm run bench:catalog\` | 100,000-variant Catalog Sync from the fake Admin API vs a plain COPY | PostgreSQL (\`BENCH_POSTGRES_URL\`) |
| \`npm run bench:scheduler\` | due sends/s and lateness with 1,000,000 pending episodes | PostgreSQL (\`BENCH_DATABASE_URL\`) |
| \`npm run bench:rate-limits\` | what the public endpoints' rate limits refuse under sale-day traffic and floods (replayed through the real limiter) | nothing |
| \`npm run bench:render\` | email renders/s per core vs bare liquidjs | nothing |
| \`npm run bench:report-queries\` | the Results page's queries over a year of one shop's data | PostgreSQL (\`BENCH_DATABASE_URL\`) |
| \`npm run bench:editor\` | JavaScript the email designer adds to the admin | a build (it runs one) |
| \`npm run bench:start\` | time for \`npm start\` to serve /healthz and the login | PGlite; PostgreSQL too with \`DATABASE_URL\` or \`TEST_DATABASE_URL\` |
| \`npm run fuzz\` | 100,000 generated hostile requests per database to every public endpoint: 5xx, hangs, RSS | PGlite; PostgreSQL with \`TEST_DATABASE_URL\` |`;

const PREREQUISITES = `Before running them: \`npm ci\`; a PostgreSQL server for the commands that say so (the defaults
expect \`postgres://postgres@127.0.0.1:5432/postgres\` with trust auth, as CI has; each run creates
its own scratch database and drops only that one); Chromium at \`/usr/bin/chromium\` for the
browser-driven commands. Shopify data comes from \`fixtures/shopify\` (committed; regenerate the
generated part with \`node --import tsx fixtures/generate.ts\`); the benches generate their own
products, carts and shoppers from a seed.`;

export function report(sections) {
  const machines = sections.map(machineOf);
  const rows = machines.map((m) => `| ${m.title} | ${m.machine ?? "not recorded"} | ${m.date ?? "not recorded"} |`);
  return `# Benchmarks

Each section is written by its own command and compares against a baseline or ceiling measured
in the same run, on the same machine. Sections were measured at different times, on the machines
listed below (2 shared cores each): compare figures within a section, not across sections.
\`npm run bench:report\` assembles this file; re-run a command to refresh its section.

${COMMANDS}

${PREREQUISITES}

| section | machine | measured |
|---|---|---|
${rows.join("\n")}

${sections.join("\n\n")}
`;
}

function main() {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const dir = path.join(root, "bench/results");
  const files = orderSections(readdirSync(dir));
  const sections = files.map((f) => readFileSync(path.join(dir, f), "utf8").trim());
  writeFileSync(path.join(root, "BENCHMARKS.md"), report(sections));
  process.stdout.write(`BENCHMARKS.md: ${files.length} sections\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
