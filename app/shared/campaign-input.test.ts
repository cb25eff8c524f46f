import { describe, expect, it } from "vitest";
import { parseArgs } from "../server/cli/args.ts";
import { parseCampaignInput } from "./campaign-input.ts";

const flags = (...argv: string[]) => Object.fromEntries(parseArgs(argv).flags);

describe("campaign input (the Campaigns form and `cartback campaign` flags)", () => {
  it("turns flags into a campaign patch", () => {
    expect(parseCampaignInput(flags("--steps", "15m,24h", "--active=false", "--cap", "2/24h", "--quiet", "21:00-08:00@profile", "--max-age", "3d"))).toEqual({
      type: "ok",
      patch: {
        active: false,
        steps: [{ delayMs: 900_000 }, { delayMs: 86_400_000 }],
        settings: { frequencyCap: { count: 2, windowMs: 86_400_000 }, quietHours: { start: "21:00", end: "08:00", zone: "profile" }, maxAgeMs: 259_200_000 },
      },
    });
  });

  it("reads form fields the same way: empty cap, quiet hours and alias switch them off, a field not given keeps what is saved", () => {
    expect(parseCampaignInput({ active: "on", steps: "20m", cap: "", quiet: " ", alias: "" })).toEqual({
      type: "ok",
      patch: { active: true, steps: [{ delayMs: 1_200_000 }], settings: { frequencyCap: null, quietHours: null, catalogMapping: { alias: null } } },
    });
    expect(parseCampaignInput({})).toEqual({ type: "ok", patch: {} });
  });

  it("refuses any other field left empty, naming it, rather than saving without it", () => {
    for (const name of ["steps", "delay", "property", "catalog", "max-age", "cooldown", "holdout", "consent", "empty-cart", "name"]) {
      expect(parseCampaignInput({ active: "on", cap: "", [name]: " " }), name).toEqual({ type: "invalid", field: name, message: "Too small: expected string to have >=1 characters" });
    }
  });

  it("names the bad field or flag", () => {
    expect(parseCampaignInput(flags("--delay", "soon"))).toMatchObject({ type: "invalid", field: "delay" });
    expect(parseCampaignInput(flags("--frobnicate", "1"))).toEqual({ type: "invalid", field: "frobnicate", message: "unknown flag" });
    expect(parseCampaignInput({ cap: "2 per day" })).toMatchObject({ type: "invalid", field: "cap" });
    expect(parseCampaignInput({ quiet: "late" })).toMatchObject({ type: "invalid", field: "quiet" });
    expect(parseCampaignInput({ active: "" })).toEqual({ type: "invalid", field: "active", message: "must be on or off" });
    expect(parseCampaignInput({ holdout: "60" })).toMatchObject({ type: "invalid", field: "holdout" });
    expect(parseCampaignInput({ holdout: "ten" })).toMatchObject({ type: "invalid", field: "holdout" });
  });

  it("reads the holdout share as a whole percent", () => {
    expect(parseCampaignInput(flags("--holdout", "10%"))).toEqual({ type: "ok", patch: { settings: { holdoutPercent: 10 } } });
    expect(parseCampaignInput({ holdout: "0" })).toEqual({ type: "ok", patch: { settings: { holdoutPercent: 0 } } });
  });
});
