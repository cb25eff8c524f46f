#!/usr/bin/env node
// Assembles BENCHMARKS.md from the sections each `npm run bench:*` writes to bench/results/.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dir = path.join(root, "bench/results");
const ORDER = ["journeys", "soak", "ingest", "history", "catalog", "scheduler", "render", "start", "fuzz"];
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".md"))
  .sort((a, b) => {
    const rank = (f) => (ORDER.indexOf(f.replace(/\.md$/, "")) + ORDER.length + 1) % (ORDER.length + 1);
    return rank(a) - rank(b) || a.localeCompare(b);
  });
const sections = files.map((f) => readFileSync(path.join(dir, f), "utf8").trim());
const body = `# Benchmarks

Measured on this project's machines (2 cores, shared), each with its baseline or ceiling measured
in the same run. Each section is written by its own command; \`npm run bench:report\` assembles
this file. Re-run a command to refresh its section:

| command | what |
|---|---|
| \`npm run e2e:journeys\` | 500 webhook-only journeys against the built server: precision, recall, mailed twice |
| \`npm run soak\` | 10 minutes of mixed traffic on PostgreSQL: errors, p99 and RSS per minute, then the journey check |
| \`npm run bench:ingest\` | events/s into the real server on PostgreSQL vs a parse-only ceiling |
| \`npm run bench:history\` | a returning shopper's next event with a stored fold vs reading the whole history |
| \`npm run bench:catalog\` | 100,000-variant Catalog Sync from the fake Admin API vs a plain COPY |
| \`npm run bench:scheduler\` | due sends/s and lateness with 1,000,000 pending episodes |
| \`npm run bench:render\` | email renders/s per core vs bare liquidjs |
| \`npm run bench:start\` | time for \`npm start\` to serve /healthz and the login |
| \`npm run fuzz\` | 100,000 generated hostile requests per database to every public endpoint: 5xx, hangs, RSS |

${sections.join("\n\n")}
`;
writeFileSync(path.join(root, "BENCHMARKS.md"), body);
process.stdout.write(`BENCHMARKS.md: ${files.length} sections\n`);
