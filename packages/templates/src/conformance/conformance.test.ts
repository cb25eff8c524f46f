import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadCases } from "./cases.ts";
import { KNOWN_FAILURES } from "./known-failures.ts";
import { conformanceReport } from "./report.ts";
import { runCase } from "./run.ts";

const cases = loadCases();
const outcomes = cases.map(runCase);

describe("Liquid conformance of the for tag and default filter (golden-liquid, liquid-spec)", () => {
  it("loads the suites from the shared fixtures", () => {
    expect(cases.length).toBeGreaterThan(200);
  });

  it("fails exactly the explained cases: no regression, no silently fixed case", () => {
    const failing = outcomes.filter((o) => !o.pass).map((o) => o.id).sort();
    expect(failing).toEqual(Object.keys(KNOWN_FAILURES).sort());
  });

  it("passes every default-filter case that does not need Ruby's object printing", () => {
    const defaults = outcomes.filter((o, i) => /\|\s*default\b/.test(cases[i]?.template ?? "") && !o.pass);
    expect(defaults.map((o) => KNOWN_FAILURES[o.id])).toEqual(defaults.map(() => expect.stringMatching(/^(rubyInspect|floatZero)$/)));
  });

  it("keeps CONFORMANCE.md in step with the measured pass rate and failures", () => {
    const committed = readFileSync(new URL("../../CONFORMANCE.md", import.meta.url), "utf8");
    expect(committed).toBe(conformanceReport(cases, outcomes));
  });
});
