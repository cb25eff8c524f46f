// Looking into V8's side of a sync without PostgreSQL: `gen <variants> <file>` writes a shuffled bulk result;
// `read <file>` feeds it through the sync's parsing and COPY-text building (batches cleared, not sent), printing
// the heap at the end. Run with --trace-gc-nvp to see what survives; PROBE_WINDOW sets the window, PROBE_DIRECT=1
// hands lines over one by one, SINK=none writes no COPY text.
import { createReadStream, writeFileSync } from "node:fs";
import v8 from "node:v8";
import { BulkReassembler } from "@cartback/core/catalog/bulk-reassembler";
import { generateProducts, startFakeShopifyAdmin } from "@cartback/shopify-fake";
import { CopyTextBuffer } from "../app/server/catalog/copy-rows.ts";
import { jsonlLines } from "../app/server/catalog/jsonl-lines.ts";
import { productParts, variantParts } from "../app/server/catalog/row-parts.ts";
import { rowValues } from "../app/server/catalog/rows-sql.ts";

const [mode, a, b] = process.argv.slice(2);
if (mode === "gen") {
  const fake = await startFakeShopifyAdmin({ shop: "g.myshopify.com", accessToken: "t", products: generateProducts(Number(a), 5), lineOrder: "shuffled" });
  const lines: string[] = [];
  void fake;
  // The fake's own line builder is internal; the file is built from what it serves.
  const started = await fetch(`${fake.origin}/admin/api/2026-01/graphql.json`, { method: "POST", headers: { "x-shopify-access-token": "t", "content-type": "application/json" }, body: JSON.stringify({ query: "mutation { bulkOperationRunQuery(query: \"{ products { edges { node { id } } } }\") { bulkOperation { id } userErrors { message } } }" }) });
  process.stderr.write(`${await started.text()}\n`);
  let url: string | null = null;
  while (!url) {
    const r = await (await fetch(`${fake.origin}/admin/api/2026-01/graphql.json`, { method: "POST", headers: { "x-shopify-access-token": "t", "content-type": "application/json" }, body: JSON.stringify({ query: "{ currentBulkOperation { url status } }" }) })).json() as { data: { currentBulkOperation: { url: string | null } } };
    url = r.data.currentBulkOperation.url;
  }
  lines.push(await (await fetch(url)).text());
  writeFileSync(b!, lines.join(""));
  await fake.close();
} else {
  const ctx = { currency: "EUR", storefrontOrigin: "https://s.example" };
  const target = { shop: "s", catalog: "c", version: 1 };
  const staging = { shop: "s", syncId: "x" };
  const bufs = [new CopyTextBuffer(1_310_720), new CopyTextBuffer(1_310_720), new CopyTextBuffer(1_310_720)];
  const put = (i: number, values: Parameters<CopyTextBuffer["add"]>[0]) => {
    if (process.env.SINK === "none") return;
    bufs[i]!.add(values);
    if (bufs[i]!.byteLength >= 1_048_576) bufs[i]!.clear();
  };
  let seq = 0;
  const r = new BulkReassembler(ctx, {
    row: (row) => put(0, rowValues(target, row)),
    spillProduct: (p) => put(1, productParts(staging, seq++, p, ctx)),
    spillVariant: (parent, v) => put(2, variantParts(staging, seq++, parent, v, ctx)),
  }, Number(process.env.PROBE_WINDOW ?? 100));
  let peak = 0;
  let n = 0;
  let carry: Buffer | null = null;
  for await (const chunk of process.env.PROBE_DIRECT ? createReadStream(a!) : jsonlLines(createReadStream(a!))) {
    if (!process.env.PROBE_DIRECT) {
      for (const { line, text } of chunk as { line: number; text: string }[]) r.pushLine(text, line);
    } else {
      const data = chunk as Buffer;
      let start = 0;
      for (let end = data.indexOf(10, start); end !== -1; end = data.indexOf(10, start)) {
        const text: string = carry ? Buffer.concat([carry, data.subarray(0, end)]).toString("utf8") : data.toString("utf8", start, end);
        carry = null;
        r.pushLine(text, ++n);
        start = end + 1;
      }
      if (start < data.length) carry = Buffer.from(data.subarray(start));
    }
    peak = Math.max(peak, process.memoryUsage.rss());
    await new Promise((resolve) => setImmediate(resolve));
  }
  const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, Math.round(s.space_size / 1048576)]));
  process.stdout.write(`${JSON.stringify({ objects: r.objects, peakMb: Math.round(peak / 1048576), spaces })}\n`);
}
