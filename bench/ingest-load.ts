/**
 * Load generator for bench/ingest.ts, run as a separate process so that building and
 * sending requests does not share the server's event loop. Reads a JSON spec from argv,
 * prints autocannon's result as JSON on stdout.
 */
import autocannon from "autocannon";

interface Spec {
  url: string;
  path: string;
  kind: "batch" | "single";
  headers: Record<string, string>;
  /** Requests rotate over these shops (one shop = the single-shop worst case). */
  shops: { shop: string; apiKey: string; pixelKey: string }[];
  run: string;
  connections: number;
  seconds: number;
  /** Requests per second over all connections (autocannon's overallRate); none = as fast as answered. */
  rate?: number;
}

const spec = JSON.parse(process.argv[2]!) as Spec;
const base = Date.now() - 3_600_000;
let shopper = 0;
let sent = 0;

const iso = (ms: number) => new Date(ms).toISOString();

/** One shopper's journey as a custom source reports it: 10 events, one witness each. */
function journey(): string[] {
  const s = shopper++;
  const id = `${spec.run}-${s}`;
  const t = base + (s % 3_000_000);
  const ids = `"clientId":"b-${id}","cartToken":"c1-${id}"`;
  const v = (n: number) => `${44843037000000 + ((s * 7 + n) % 500)}`;
  return [
    `{"id":"${id}-1","name":"Added to Cart","occurredAt":"${iso(t)}",${ids},"variantId":"${v(1)}","quantity":1,"price":"19.99","currency":"USD"}`,
    `{"id":"${id}-2","name":"Cart Snapshot","occurredAt":"${iso(t + 1000)}",${ids},"currency":"USD","lines":[{"variantId":"${v(1)}","quantity":1,"priceMinor":1999}]}`,
    `{"id":"${id}-3","name":"Added to Cart","occurredAt":"${iso(t + 30_000)}",${ids},"variantId":"${v(2)}","quantity":2,"price":"5.00","currency":"USD"}`,
    `{"id":"${id}-4","name":"Cart Snapshot","occurredAt":"${iso(t + 31_000)}",${ids},"currency":"USD","lines":[{"variantId":"${v(1)}","quantity":1,"priceMinor":1999},{"variantId":"${v(2)}","quantity":2,"priceMinor":500}]}`,
    `{"id":"${id}-5","name":"Removed from Cart","occurredAt":"${iso(t + 60_000)}",${ids},"variantId":"${v(1)}","quantity":1}`,
    `{"id":"${id}-6","name":"Cart Snapshot","occurredAt":"${iso(t + 61_000)}",${ids},"currency":"USD","lines":[{"variantId":"${v(2)}","quantity":2,"priceMinor":500}]}`,
    `{"id":"${id}-7","name":"Identify","occurredAt":"${iso(t + 90_000)}",${ids},"email":"s${id}@bench.example","via":"form"}`,
    `{"id":"${id}-8","name":"Checkout Started","occurredAt":"${iso(t + 120_000)}",${ids},"checkoutToken":"k-${id}","email":"s${id}@bench.example","lines":[]}`,
    `{"id":"${id}-9","name":"Added to Cart","occurredAt":"${iso(t + 150_000)}",${ids},"variantId":"${v(3)}","quantity":1,"priceMinor":700,"currency":"USD"}`,
    `{"id":"${id}-10","name":"Cart Snapshot","occurredAt":"${iso(t + 151_000)}",${ids},"currency":"USD","lines":[{"variantId":"${v(2)}","quantity":2,"priceMinor":500},{"variantId":"${v(3)}","quantity":1,"priceMinor":700}]}`,
  ];
}

/** A web pixel product_added_to_cart, as the pixel forwards it. */
function pixelEvent(): string {
  const n = sent;
  const client = `px-${spec.run}-${n % 5000}`;
  return `{"id":"sh-${spec.run}-${n}","name":"product_added_to_cart","clientId":"${client}","timestamp":"${iso(base + n)}","data":{"cartLine":{"quantity":1,"merchandise":{"id":"${44843038015702 + (n % 50)}","price":{"amount":749.95,"currencyCode":"USD"},"product":{"id":"8273464099030","title":"The Collection Snowboard"}}}}}`;
}

function body(target: Spec["shops"][number]): string {
  sent++;
  if (spec.kind === "single") return `{"shop":"${target.shop}","pixelKey":"${target.pixelKey}","events":[${pixelEvent()}]}`;
  const events: string[] = [];
  for (let i = 0; i < 10; i++) events.push(...journey());
  return `{"events":[${events.join(",")}]}`;
}

const instance = autocannon({
  url: spec.url,
  connections: spec.connections,
  duration: spec.seconds,
  ...(spec.rate ? { overallRate: spec.rate } : {}),
  requests: [
    {
      method: "POST",
      path: spec.path,
      headers: spec.headers,
      setupRequest: (request) => {
        const target = spec.shops[sent % spec.shops.length]!;
        return { ...request, headers: { ...spec.headers, authorization: `Bearer ${target.apiKey}` }, body: body(target) };
      },
    },
  ],
});
instance.on("done", (result) => {
  process.stdout.write(JSON.stringify({ ...result, sent }));
});
