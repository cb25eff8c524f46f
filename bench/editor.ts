/**
 * `npm run bench:editor`: how much JavaScript the email designer costs, and where. Reads the
 * built app's Remix manifest (app/build/client) and sums the JS files each page loads: the
 * entry, the root and admin layout routes, and the page's route, each with its imports. The
 * editor's own code is what the designer route loads that no other route does; the Campaigns
 * page, measured in the same build, is the baseline. Writes bench/results/editor.md.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { machineLine } from "./machine.ts";

type RouteEntry = { id: string; parentId?: string; module: string; imports?: string[] };
type Manifest = { entry: { module: string; imports: string[] }; routes: Record<string, RouteEntry> };

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const client = path.join(root, "app/build/client");
const EDITOR = "routes/app.campaigns_.$id.$step.design";
const CAMPAIGNS = "routes/app.campaigns";

function readManifest(): Manifest {
  const assets = path.join(client, "assets");
  const file = readdirSync(assets).find((f) => /^manifest-.*\.js$/.test(f));
  if (!file) throw new Error("no Remix manifest in app/build/client/assets: run npm run build first");
  const source = readFileSync(path.join(assets, file), "utf8");
  return JSON.parse(source.slice(source.indexOf("{"), source.lastIndexOf("}") + 1)) as Manifest;
}

function routeFiles(manifest: Manifest, id: string): Set<string> {
  const files = new Set<string>([manifest.entry.module, ...manifest.entry.imports]);
  for (let route: RouteEntry | undefined = manifest.routes[id]; route; route = route.parentId ? manifest.routes[route.parentId] : undefined) {
    files.add(route.module);
    for (const file of route.imports ?? []) files.add(file);
  }
  return files;
}

function size(files: Iterable<string>): { raw: number; gzip: number; count: number } {
  let raw = 0;
  let gzip = 0;
  let count = 0;
  for (const file of files) {
    const bytes = readFileSync(path.join(client, file));
    raw += bytes.length;
    gzip += gzipSync(bytes).length;
    count += 1;
  }
  return { raw, gzip, count };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

function main() {
  const manifest = readManifest();
  if (!manifest.routes[EDITOR]) throw new Error(`the build has no ${EDITOR} route`);
  const editorPage = routeFiles(manifest, EDITOR);
  const campaignsPage = routeFiles(manifest, CAMPAIGNS);
  const elsewhere = new Set<string>();
  for (const id of Object.keys(manifest.routes)) if (id !== EDITOR) for (const file of routeFiles(manifest, id)) elsewhere.add(file);
  const editorOnly = [...editorPage].filter((file) => !elsewhere.has(file));
  const dnd = editorOnly.filter((file) => readFileSync(path.join(client, file), "utf8").includes("DndDescribedBy"));
  const leaked = [...elsewhere].filter((file) => readFileSync(path.join(client, file), "utf8").includes("DndDescribedBy"));
  const rows = [
    ["Campaigns page, all JS (baseline)", size(campaignsPage)],
    ["Email designer page, all JS", size(editorPage)],
    ["Designer-only JS (loaded by no other route)", size(editorOnly)],
  ] as const;
  const lines = [
    "## Email designer JavaScript (`npm run bench:editor`)",
    "",
    machineLine(),
    "",
    "JavaScript each admin page loads in the built app (Remix manifest: entry, root and admin layout, the",
    "page's route and their imports), raw and gzip-compressed. The designer's own code (the block editor,",
    "@dnd-kit, the block defaults and text rules) is what no other route loads; React, Polaris and zod are",
    "shared chunks every admin page loads anyway.",
    "",
    "| what | files | raw | gzip |",
    "|---|---:|---:|---:|",
    ...rows.map(([label, s]) => `| ${label} | ${s.count} | ${kb(s.raw)} | ${kb(s.gzip)} |`),
    "",
    `@dnd-kit is in ${dnd.length} designer-only file(s) and in ${leaked.length} file(s) any other route loads.`,
    "For comparison (packages/email-blocks/README.md, esbuild --minify, React excluded): GrapesJS + newsletter",
    "preset 414 KB gzip, easy-email 863 KB gzip.",
  ];
  writeFileSync(path.join(root, "bench/results/editor.md"), `${lines.join("\n")}\n`);
  process.stdout.write(`${lines.join("\n")}\n`);
  if (leaked.length > 0) process.exitCode = 1;
}

main();
