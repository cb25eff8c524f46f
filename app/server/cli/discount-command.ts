import { describeDiscount } from "@cartback/core/campaign/discount";
import type { Db } from "@cartback/db";
import { ensureDefaultCampaign, getCampaign, listCampaigns } from "../campaigns/repository.ts";
import { saveStepDiscount } from "../discounts/discount-form.ts";
import type { Runtime } from "../runtime.ts";
import { shopMoney } from "../shops/shop-money.ts";
import type { Args } from "./args.ts";
import { type Out, UsageError } from "./commands.ts";

const USAGE = "usage: cartback discount <shop> [campaign-id] [--step 1] [--percent 10 | --amount 5.00 | --off] [--days 7] [--once true|false]";

/**
 * `cartback discount`: show or set a step's discount code, read by the same parser as the
 * Campaigns page's discount form (discounts/discount-form.ts), so both refuse the same input.
 */
export async function discount(runtime: Runtime, args: Args, out: Out) {
  const [shop, id] = args.positional;
  if (!shop) throw new UsageError(USAGE);
  const db = runtime.database.db as Db;
  const existing = await listCampaigns(db, shop);
  const target = id ? existing.find((c) => c.id === id) : (existing[0] ?? (await ensureDefaultCampaign(db, shop)));
  if (!target) throw new UsageError(`no campaign ${id} for ${shop}`);
  const stepText = args.flags.get("step") ?? "1";
  if (!/^\d+$/.test(stepText) || Number(stepText) < 1) throw new UsageError("--step: a step number from 1");
  const step = Number(stepText) - 1;
  const kind = args.flags.has("off") ? "none" : args.flags.has("percent") ? "percentage" : args.flags.has("amount") ? "fixed_amount" : null;
  if (kind !== null) {
    const form = new FormData();
    const once = args.flags.get("once") ?? "true";
    const fields = { id: target.id, step: String(step), "discount-kind": kind, "discount-value": args.flags.get("percent") ?? args.flags.get("amount") ?? "", "discount-days": args.flags.get("days") ?? "7", "discount-once": once };
    for (const [name, value] of Object.entries(fields)) form.set(name, value);
    const saved = await saveStepDiscount(runtime, shop, form);
    if (saved.type !== "saved") throw new UsageError(`${flagOf(saved.field)}: ${saved.message}`);
  }
  const shown = (await getCampaign(db, shop, target.id))!;
  const d = shown.steps[step]?.discount;
  if (!shown.steps[step]) throw new UsageError(`--step: ${target.name} has ${shown.steps.length} step(s)`);
  const text = d
    ? `step ${step + 1}: ${describeDiscount(d, await shopMoney(db, shop))}, single use, expires ${d.expiresAfterDays} day(s) after the send${d.oncePerCustomer ? ", once per customer" : ""}`
    : `step ${step + 1}: no discount code`;
  out({ campaignId: shown.id, step: step + 1, discount: d ?? null }, `${shown.name} (${shown.id}) ${text}`);
}

function flagOf(field: string): string {
  const input = /discount\.(\w+)$/.exec(field)?.[1];
  return input === "value" ? "--percent/--amount" : input ? `--${input}` : field;
}
