import type { CampaignPatch } from "../campaigns/repository.ts";
import { type Args, parseDuration } from "./args.ts";

export type FlagsResult = { type: "ok"; patch: Record<string, unknown> } | { type: "invalid"; flag: string; message: string };

/**
 * Campaign flags of `cartback campaign <shop> [id] …` as a patch for updateCampaign, which
 * validates the whole. Durations are written 30s / 15m / 24h / 7d.
 */
export function campaignPatch(args: Args): FlagsResult {
  const patch: { name?: string; active?: boolean; steps?: { delayMs: number }[]; settings?: Record<string, unknown> } = {};
  const settings: Record<string, unknown> = {};
  const mapping: Record<string, string | null> = {};
  const duration = (flag: string): number | null => {
    const value = args.flags.get(flag);
    return value === undefined ? null : parseDuration(value);
  };
  for (const [flag, value] of args.flags) {
    switch (flag) {
      case "name":
        patch.name = value;
        break;
      case "active":
        if (value !== "true" && value !== "false") return { type: "invalid", flag, message: "expected true or false" };
        patch.active = value === "true";
        break;
      case "delay":
      case "steps": {
        const delays = value.split(",").map((v) => parseDuration(v));
        if (delays.some((d) => d === null)) return { type: "invalid", flag, message: "expected durations like 15m or 15m,24h" };
        patch.steps = delays.map((delayMs) => ({ delayMs: delayMs! }));
        break;
      }
      case "max-age":
      case "cooldown": {
        const ms = duration(flag);
        if (ms === null) return { type: "invalid", flag, message: "expected a duration like 7d" };
        settings[flag === "max-age" ? "maxAgeMs" : "cooldownMs"] = ms;
        break;
      }
      case "cap": {
        if (value === "off") {
          settings.frequencyCap = null;
          break;
        }
        const [count, window] = value.split("/");
        const windowMs = parseDuration(window ?? "");
        if (!count || !/^\d+$/.test(count) || windowMs === null) return { type: "invalid", flag, message: "expected COUNT/DURATION like 2/24h, or off" };
        settings.frequencyCap = { count: Number(count), windowMs };
        break;
      }
      case "quiet": {
        if (value === "off") {
          settings.quietHours = null;
          break;
        }
        const match = /^(\d\d:\d\d)-(\d\d:\d\d)(@profile|@shop)?$/.exec(value);
        if (!match) return { type: "invalid", flag, message: "expected HH:MM-HH:MM[@profile], or off" };
        settings.quietHours = { start: match[1], end: match[2], zone: match[3] === "@profile" ? "profile" : "shop" };
        break;
      }
      case "empty-cart":
        settings.emptyCart = value;
        break;
      case "consent":
        settings.consent = value;
        break;
      case "catalog":
      case "property":
        mapping[flag] = value;
        break;
      case "alias":
        // "" removes the alias; the catalog keeps its own name.
        mapping.alias = value === "" ? null : value;
        break;
      case "json":
        break;
      default:
        return { type: "invalid", flag, message: "unknown flag" };
    }
  }
  if (Object.keys(mapping).length > 0) settings.catalogMapping = mapping;
  if (Object.keys(settings).length > 0) patch.settings = settings;
  return { type: "ok", patch: patch satisfies Partial<Record<keyof CampaignPatch, unknown>> };
}
