import { describe, expect, it } from "vitest";
import { isChecked, lineCount, MAX_LINES, oversized } from "./check-file-size.mjs";

describe("the file size check run by npm run lint", () => {
  it("flags a source file one line over the limit and passes one at the limit", () => {
    const text = (lines: number) => "x\n".repeat(lines);
    const files: Record<string, string> = { "app/server/long.ts": text(MAX_LINES + 1), "packages/core/src/ok.ts": text(MAX_LINES) };
    expect(oversized(Object.keys(files), (file: string) => files[file]!)).toEqual([["app/server/long.ts", MAX_LINES + 1]]);
  });

  it("exempts tests, test helpers, fixtures and generated files", () => {
    for (const file of ["app/routes/app.campaigns.test.ts", "e2e/admin.e2e.test.ts", "e2e/support/shop.ts", "app/server/testing.ts", "app/server/testing-server.ts", "packages/testing/src/app-process.ts", "packages/templates/src/testing/inputs.ts", "app/server/worker/process-testing.ts", "db/migrations/0000_foundation.sql", "extensions/cart-tracker/assets/cartback.js", "fixtures/generate.ts"]) {
      expect(isChecked(file), file).toBe(false);
    }
    for (const file of ["app/routes/app.catalog.tsx", "scripts/demo.mjs", "packages/core/src/money.ts", "bench/scheduler.ts"]) expect(isChecked(file), file).toBe(true);
  });

  it("counts lines as editors do", () => {
    expect([lineCount(""), lineCount("a"), lineCount("a\n"), lineCount("a\nb")]).toEqual([0, 1, 1, 2]);
  });
});
