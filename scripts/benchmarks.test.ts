import { describe, expect, it } from "vitest";
import { machineOf, orderSections, report } from "./benchmarks.mjs";

describe("BENCHMARKS.md assembly", () => {
  it("reads each section's machine and time in the formats the benches write", () => {
    expect(machineOf("## Soak (`npm run soak`)\nMachine: AMD EPYC, 2 cores, 23.5 GiB RAM. Date: 2026-12-06T06:01:59.877Z.")).toEqual({ title: "Soak (`npm run soak`)", machine: "AMD EPYC, 2 cores", date: "2026-12-06 06:01 UTC" });
    expect(machineOf("## Ingest\n2026-12-06T07:11:59.614Z · AMD EPYC, 2 cores, 23.5 GB RAM · Node v20").machine).toBe("AMD EPYC, 2 cores");
    expect(machineOf("## Scheduler\nMeasured 2026-11-26T11:33:49.210Z on Intel(R) Xeon(R) Processor, 2 cores, 23.5 GB RAM").machine).toBe("Intel(R) Xeon(R) Processor, 2 cores");
    expect(machineOf("## Bare\nNo machine here.")).toEqual({ title: "Bare", machine: null, date: null });
  });

  it("lists one machine per section in the report, and says when a section recorded none", () => {
    const text = report(["## A\nMachine: AMD EPYC, 2 cores. Date: 2026-12-06T06:01:00Z.", "## B\nnothing"]);
    expect(text).toContain("| A | AMD EPYC, 2 cores | 2026-12-06 06:01 UTC |");
    expect(text).toContain("| B | not recorded | not recorded |");
    expect(text).toContain("PostgreSQL");
  });

  it("orders the known sections first and the rest alphabetically", () => {
    expect(orderSections(["zeta.md", "fuzz.md", "journeys.md", "alpha.md", "notes.txt"])).toEqual(["journeys.md", "fuzz.md", "alpha.md", "zeta.md"]);
  });
});
