/**
 * `npm run bench:rate-limits`: what the public endpoints' limits (app/server/rate-limit.ts, the
 * real RateLimiter with the shipped LIMITS) refuse under a sale-day storefront and under a
 * flood. The traffic is replayed against the limiter on a simulated clock, so the figures are
 * the limiter's own decisions at rates far beyond what one process could ingest on this
 * machine; the HTTP side (429 + Retry-After, the client address behind TRUST_PROXY) is covered
 * by app/server/rate-limit.test.ts and the e2e suite. Writes bench/results/rate-limits.md.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { LIMITS } from "../app/server/rate-limit.ts";
import { loadAtEndLine, machineLine } from "./machine.ts";
import { type Outcome, type Scenario, flood, replay, saleDay } from "./rate-limits-traffic.ts";

const scenarios: Scenario[] = [
  {
    name: "sale day, busy shop",
    what: "20,000 shoppers in 10 minutes, 5-30 events each ~4 s apart with a 5-add burst; 2 % behind shared addresses of 20",
    requests: saleDay({ seed: 20261206, shoppers: 20_000, seconds: 600, natShare: 0.02, natSize: 20 }),
  },
  {
    name: "sale day, launch minute",
    what: "20,000 shoppers arriving within 60 s (a drop announced by email); 5 % behind shared addresses of 50",
    requests: saleDay({ seed: 7, shoppers: 20_000, seconds: 60, natShare: 0.05, natSize: 50 }),
  },
  { name: "flood from one script", what: "1,000 requests/s from one address for 60 s", requests: flood(1_000, 60) },
  { name: "flood from many addresses", what: "50,000 requests/s from 10,000 addresses (5/s each) for 20 s", requests: flood(50_000, 20, 10_000) },
];

function render(rows: Array<{ s: Scenario; o: Outcome }>): string {
  const pct = (n: number, of: number) => `${((n / of) * 100).toFixed(2)} %`;
  const lines = rows.map(({ s, o }) =>
    `| ${s.name} | ${s.what} | ${o.requests.toLocaleString("en")} | ${o.peakPerSecond.toLocaleString("en")} | ${o.refusedClient.toLocaleString("en")} (${pct(o.refusedClient, o.requests)}) | ${o.refusedShop.toLocaleString("en")} | ${o.refusedShoppers.toLocaleString("en")} |`,
  );
  return `## Rate limits (\`npm run bench:rate-limits\`)

${machineLine()}

The shipped limits (\`app/server/rate-limit.ts\`): /collect ${LIMITS.client.rate} requests/s per client (burst ${LIMITS.client.burst}),
${LIMITS.shopBrowser.rate.toLocaleString("en")}/s per shop (burst ${LIMITS.shopBrowser.burst.toLocaleString("en")}), per process. Traffic replayed through the real limiter on a
simulated clock (seeded, the same every run), so rates above one process's ingest capacity can be shown.

| scenario | traffic | requests | peak requests/s | refused per client | refused per shop | addresses refused at least once |
|---|---|---:|---:|---:|---:|---:|
${lines.join("\n")}

Target: a busy shop on a sale day is never refused (0 in both sale-day rows, shared addresses included);
a flood from one address is cut to its client rate (the attacker keeps ${LIMITS.client.rate}/s after the burst); a flood
spread over many addresses is cut to the shop rate.

${loadAtEndLine()}
`;
}

const rows = scenarios.map((s) => ({ s, o: replay(s.requests, LIMITS.client, LIMITS.shopBrowser) }));
const out = process.env.BENCH_OUT ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), "results/rate-limits.md");
const section = render(rows);
writeFileSync(out, section);
process.stdout.write(section);
