// The browser's share of the admin, held to stated budgets (as Segment's SDK does in CI): a page's
// JavaScript is what the Remix manifest makes the browser load for it (the entry, the root and
// every route on its path, with their chunks), counted once and gzipped. The build is the one
// the test run's global setup made (scripts/vitest-global-setup.ts); CARTBACK_BUILD_DIR checks
// another. A page over budget names itself, its size and its largest chunks.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";

const KB = 1024;

/** Gzipped KB a page may load. Raise one only with the reason in the commit message. */
const PAGE_BUDGET_KB: Record<string, number> = {
  // The list and a campaign's form: 169 KB, of which the shared admin layout (Polaris) is 146 KB.
  // They were 374 KB while the editor's default-template import carried liquidjs, juice and htmlparser2.
  "routes/app.campaigns": 180,
  "routes/app.campaigns_.$id._index": 180,
  // The designer adds drag and drop and the block schemas (202 KB); previews render on the server.
  "routes/app.campaigns_.$id.$step.design": 215,
  // The catalog page (190 KB) is the heaviest of the rest.
  "routes/app.catalog": 200,
  "routes/app.catalog.export": 200,
};
/** Every other page: the admin pages are 146-167 KB, mostly Polaris on the shared layout. */
const DEFAULT_BUDGET_KB = 175;

/** Code that renders Liquid and inlines CSS belongs on the server (app/server/campaigns/preview.ts). */
const SERVER_ONLY_MARKERS: Record<string, string> = {
  liquidjs: "LiquidError",
  juice: "applyWidthAttributes",
  htmlparser2: "xmlMode",
};

type RouteEntry = { id: string; parentId?: string; module: string; imports?: string[] };
type Manifest = { entry: { module: string; imports: string[] }; routes: Record<string, RouteEntry> };

const buildDir = process.env.CARTBACK_BUILD_DIR ?? fileURLToPath(new URL("./build", import.meta.url));
const clientDir = path.join(buildDir, "client");

function readManifest(): Manifest {
  const assets = path.join(clientDir, "assets");
  const file = readdirSync(assets).find((name) => name.startsWith("manifest-") && name.endsWith(".js"));
  if (!file) throw new Error(`no Remix manifest in ${assets}: build the app first`);
  const text = readFileSync(path.join(assets, file), "utf8");
  return JSON.parse(text.slice(text.indexOf("{"), text.lastIndexOf("}") + 1)) as Manifest;
}

const gzipped = new Map<string, number>();
function gzipSize(asset: string): number {
  let size = gzipped.get(asset);
  if (size === undefined) {
    size = gzipSync(readFileSync(path.join(clientDir, asset)), { level: 9 }).length;
    gzipped.set(asset, size);
  }
  return size;
}

/** The files a browser loads for one route: entry, then the route and each ancestor with its chunks. */
function pageAssets(manifest: Manifest, id: string): Set<string> {
  const files = new Set([manifest.entry.module, ...manifest.entry.imports]);
  for (let route: RouteEntry | undefined = manifest.routes[id]; route; route = route.parentId ? manifest.routes[route.parentId] : undefined) {
    for (const file of [route.module, ...(route.imports ?? [])]) files.add(file);
  }
  return files;
}

describe("the admin's browser bundle", () => {
  const manifest = readManifest();

  it("keeps every page's JavaScript within its gzipped budget", () => {
    const over: string[] = [];
    for (const id of Object.keys(manifest.routes)) {
      const files = [...pageAssets(manifest, id)].sort((a, b) => gzipSize(b) - gzipSize(a));
      const total = files.reduce((sum, file) => sum + gzipSize(file), 0);
      const budget = PAGE_BUDGET_KB[id] ?? DEFAULT_BUDGET_KB;
      if (total > budget * KB) {
        const largest = files.slice(0, 3).map((file) => `${path.basename(file)} ${(gzipSize(file) / KB).toFixed(1)} KB`);
        over.push(`${id}: ${(total / KB).toFixed(1)} KB gzip > ${budget} KB (largest: ${largest.join(", ")})`);
      }
    }
    expect(over).toEqual([]);
  });

  it("names only routes that exist in its budgets", () => {
    expect(Object.keys(PAGE_BUDGET_KB).filter((id) => !manifest.routes[id])).toEqual([]);
  });

  it("is a production build (React's development build alone adds 190 KB)", () => {
    const assets = path.join(clientDir, "assets");
    const development = readdirSync(assets).filter((file) => file.endsWith(".js") && readFileSync(path.join(assets, file), "utf8").includes("reactjs.org/link/"));
    expect(development).toEqual([]);
  });

  it("ships no template engine, CSS inliner or HTML parser to the browser", () => {
    const assets = path.join(clientDir, "assets");
    const found: string[] = [];
    for (const name of readdirSync(assets).filter((file) => file.endsWith(".js"))) {
      const code = readFileSync(path.join(assets, name), "utf8");
      for (const [library, marker] of Object.entries(SERVER_ONLY_MARKERS)) {
        if (code.includes(marker)) found.push(`${library} in ${name}`);
      }
    }
    expect(found).toEqual([]);
  });
});
