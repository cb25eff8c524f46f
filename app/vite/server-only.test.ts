import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serverOnlyGuard } from "./server-only.ts";

// A tiny app laid out like Cartback's: server/ holds server code, shared/ what both sides use.
let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "cartback-server-only-"));
  await mkdir(path.join(root, "server"));
  await mkdir(path.join(root, "shared"));
  await writeFile(path.join(root, "server/secrets.ts"), "export const apiSecret = () => 'from the server';\n");
  await writeFile(path.join(root, "shared/labels.ts"), "export const label = (n: number) => `${n} items`;\n");
  await writeFile(path.join(root, "page-shared.ts"), "import { label } from './shared/labels.ts';\nexport const shown = label(2);\n");
  await writeFile(path.join(root, "page-server.ts"), "import { apiSecret } from './server/secrets.ts';\nexport const shown = apiSecret();\n");
  await writeFile(path.join(root, "page-logger.ts"), "import pino from 'pino';\nexport const log = pino();\n");
});
afterAll(() => rm(root, { recursive: true, force: true }));

function bundle(entry: string, ssr = false) {
  return build({
    root,
    configFile: false,
    logLevel: "silent",
    plugins: [serverOnlyGuard({ serverDir: path.join(root, "server") })],
    build: { write: false, ssr, rollupOptions: { input: path.join(root, entry) }, ...(ssr ? {} : { modulePreload: false }) },
  });
}

describe("the browser bundle refuses server-only code", () => {
  it("builds a page that uses shared code", async () => {
    await expect(bundle("page-shared.ts")).resolves.toBeDefined();
  });

  it("fails the client build when a page imports from the server folder, naming both files", async () => {
    await expect(bundle("page-server.ts")).rejects.toThrow(
      /server-only code in the browser bundle: .*page-server\.ts imports "\.\/server\/secrets\.ts" .*move what the page needs to app\/shared\/ or packages\/core/,
    );
  });

  it("fails the client build when a page imports a server-only package", async () => {
    await expect(bundle("page-logger.ts")).rejects.toThrow(/page-logger\.ts imports "pino"/);
  });

  it("lets the server build use server code", async () => {
    await expect(bundle("page-server.ts", true)).resolves.toBeDefined();
  });
});
