import { describe, expect, it } from "vitest";
import { localMinutes, quietUntil } from "./quiet-hours.ts";

describe("quietUntil", () => {
  const night = { start: "21:00", end: "08:00", zone: "shop" as const };

  it("is null outside the window", () => {
    expect(quietUntil(new Date("2026-03-10T12:00:00Z"), night, "UTC")).toBeNull();
  });

  it("ends the window on the same night across midnight", () => {
    expect(quietUntil(new Date("2026-03-10T22:30:20Z"), night, "UTC")).toEqual(new Date("2026-03-11T08:00:00Z"));
    expect(quietUntil(new Date("2026-03-11T03:00:00Z"), night, "UTC")).toEqual(new Date("2026-03-11T08:00:00Z"));
  });

  it("lands on local 08:00 across a DST change (New York springs forward on 2026-03-08)", () => {
    const until = quietUntil(new Date("2026-03-08T03:00:00Z"), night, "America/New_York")!;
    expect(until).toEqual(new Date("2026-03-08T12:00:00Z"));
    expect(localMinutes(until, "America/New_York")).toBe(8 * 60);
  });

  it("ends a window whose end falls in the skipped hour", () => {
    const until = quietUntil(new Date("2026-03-08T05:00:00Z"), { start: "00:00", end: "02:30", zone: "shop" }, "America/New_York")!;
    expect(localMinutes(until, "America/New_York")).toBeGreaterThanOrEqual(150);
    expect(until.getTime()).toBeGreaterThan(new Date("2026-03-08T05:00:00Z").getTime());
  });

  it("treats an empty window as never quiet", () => {
    expect(quietUntil(new Date(), { start: "08:00", end: "08:00", zone: "shop" }, "UTC")).toBeNull();
  });
});
