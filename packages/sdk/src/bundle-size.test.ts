import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
// @ts-expect-error: plain .mjs build script, no type declarations
import { buildSdk } from "../scripts/build.mjs";

const dir = mkdtempSync(path.join(tmpdir(), "cartback-sdk-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("storefront bundle", () => {
  it("stays within 6 KB minified and gzipped, as one ES2019 file without zod", async () => {
    const file = await buildSdk(path.join(dir, "cartback.js"));
    const code = readFileSync(file);
    const gzipped = gzipSync(code, { level: 9 }).length;
    expect(gzipped).toBeLessThanOrEqual(6 * 1024);
    const text = code.toString("utf8");
    expect(text).not.toMatch(/\?\?|\?\.\w/);
    expect(text).not.toContain("zod");
  });
});
