import { z } from "zod";
import { parseDuration } from "./durations.ts";

/**
 * What a person types to change a campaign, in the Campaigns form or as `cartback campaign`
 * flags: the same names (steps, cap, quiet, max-age …) and the same text (15m,24h · 2/24h ·
 * 21:00-08:00@profile), read by this one schema into a patch for `updateCampaign`, which checks
 * the campaign as a whole. Client-safe: the form imports it for its field names.
 */

// A field without an "off" left empty is refused by name (the form would otherwise save without
// it and the merchant would not know the value they cleared was kept).
const filled = z.string().min(1);

const duration = (what: string) =>
  filled.transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === null) ctx.addIssue({ code: "custom", message: `expected ${what}` });
    return ms ?? 0;
  });

const delays = filled.transform((text, ctx) => {
  const ms = text.split(",").map(parseDuration);
  if (ms.some((d) => d === null)) ctx.addIssue({ code: "custom", message: "expected durations like 15m or 15m,24h" });
  return ms.map((delayMs) => ({ delayMs: delayMs ?? 0 }));
});

const toggle = z.string().transform((text, ctx) => {
  const value = text.trim().toLowerCase();
  if (value === "on" || value === "true") return true;
  if (value !== "off" && value !== "false") ctx.addIssue({ code: "custom", message: "must be on or off" });
  return false;
});

// "" or "off" switches the cap or quiet hours off (an emptied form field, or `--cap off`).
const cap = z.string().transform((text, ctx) => {
  if (text === "" || text === "off") return null;
  const [count, window] = text.split("/");
  const windowMs = parseDuration(window ?? "");
  if (!count || !/^\d+$/.test(count) || windowMs === null) {
    ctx.addIssue({ code: "custom", message: "expected COUNT/DURATION like 2/24h, or off" });
  }
  return { count: Number(count), windowMs: windowMs ?? 0 };
});

const quiet = z.string().transform((text, ctx) => {
  if (text === "" || text === "off") return null;
  const match = /^(\d\d:\d\d)-(\d\d:\d\d)(@profile|@shop)?$/.exec(text);
  if (!match) ctx.addIssue({ code: "custom", message: "expected HH:MM-HH:MM[@profile], or off" });
  return { start: match?.[1] ?? "", end: match?.[2] ?? "", zone: match?.[3] === "@profile" ? ("profile" as const) : ("shop" as const) };
});

export const CampaignInput = z.strictObject({
  name: filled.optional(),
  active: toggle.optional(),
  steps: delays.optional(),
  delay: delays.optional(),
  "max-age": duration("a duration like 7d").optional(),
  cooldown: duration("a duration like 1h").optional(),
  // Whole percent of episodes held out (no email) to measure the lift; 0 turns it off.
  holdout: filled
    .regex(/^\d{1,2}%?$/, "a whole percent from 0 to 50, like 10")
    .transform((text) => Number(text.replace("%", "")))
    .refine((n) => n <= 50, "a whole percent from 0 to 50, like 10")
    .optional(),
  cap: cap.optional(),
  quiet: quiet.optional(),
  "empty-cart": filled.optional(),
  consent: filled.optional(),
  catalog: filled.optional(),
  property: filled.optional(),
  // "" removes the alias; the catalog keeps its own name.
  alias: z.string().transform((text) => (text === "" ? null : text)).optional(),
});
export type CampaignInput = z.input<typeof CampaignInput>;

/** The input names, in the order the form shows them. */
export const CAMPAIGN_INPUTS = Object.keys(CampaignInput.shape) as (keyof CampaignInput)[];

export type CampaignInputResult =
  | { type: "ok"; patch: { name?: string; active?: boolean; steps?: { delayMs: number }[]; settings?: Record<string, unknown> } }
  | { type: "invalid"; field: string; message: string };

/**
 * Reads typed values (trimmed) into a campaign patch. An empty cap, quiet hours or alias switches
 * it off; any other empty field is an error naming it. A field not given is left as saved.
 */
export function parseCampaignInput(values: Record<string, string>): CampaignInputResult {
  const given = Object.fromEntries(Object.entries(values).map(([name, value]) => [name, value.trim()] as const));
  const parsed = CampaignInput.safeParse(given);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    if (issue.code === "unrecognized_keys") return { type: "invalid", field: issue.keys[0] ?? "", message: "unknown flag" };
    return { type: "invalid", field: String(issue.path[0] ?? ""), message: issue.message };
  }
  return { type: "ok", patch: toPatch(parsed.data) };
}

function toPatch(input: z.output<typeof CampaignInput>): Extract<CampaignInputResult, { type: "ok" }>["patch"] {
  const mapping = { catalog: input.catalog, property: input.property, alias: input.alias };
  const settings = {
    maxAgeMs: input["max-age"],
    cooldownMs: input.cooldown,
    holdoutPercent: input.holdout,
    frequencyCap: input.cap,
    quietHours: input.quiet,
    emptyCart: input["empty-cart"],
    consent: input.consent,
    catalogMapping: definedOnly(mapping),
  };
  return definedOnly({ name: input.name, active: input.active, steps: input.steps ?? input.delay, settings: definedOnly(settings) }) ?? {};
}

/** Drops undefined members, and returns undefined for an object left empty, so a patch names only what was given. */
function definedOnly<T extends Record<string, unknown>>(object: T): Partial<T> | undefined {
  const kept = Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
  return Object.keys(kept).length > 0 ? (kept as Partial<T>) : undefined;
}
