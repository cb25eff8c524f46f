import { formatMoney } from "@cartback/core/money-format";
import type { Db } from "@cartback/db";
import { abReport } from "../revenue/ab-report.ts";
import { buildReport } from "../revenue/report.ts";
import type { Runtime } from "../runtime.ts";
import { shopMoney } from "../shops/shop-money.ts";
import type { Args } from "./args.ts";
import { type Out, UsageError } from "./commands.ts";
import { abLines, ruleLines } from "./report-extras.ts";

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** `cartback report <shop> [--days 30]`: the Results page as text (or --json). */
export async function report(runtime: Runtime, args: Args, out: Out) {
  const [shop] = args.positional;
  if (!shop) throw new UsageError("usage: cartback report <shop> [--days 30]");
  const daysText = args.flags.get("days") ?? "30";
  const days = Number(daysText);
  if (!/^\d+$/.test(daysText) || days < 1 || days > 366) throw new UsageError("--days: a number of days from 1 to 366");
  const db = runtime.database.db as Db;
  const now = new Date();
  const result = await buildReport(db, shop, { days, now });
  if (!result) throw new UsageError(`${shop} is not installed`);
  const ab = await abReport(db, shop, { days, now });
  const money = await shopMoney(db, shop);
  const amount = (minor: number) => formatMoney(minor, result.currency, money);
  const t = result.totals;
  const lift = result.lift.result;
  out({ ...result, ab }, [
    `${shop}: ${result.from} to ${result.to} (${result.timezone}), ${result.currency}`,
    `recovered revenue ${amount(t.netRevenueMinor)} (${amount(t.revenueMinor)} less ${amount(t.refundedMinor)} refunded) from ${t.recoveredOrders} order(s)`,
    `funnel: abandoned ${result.funnel.abandoned} → emailed ${result.funnel.emailed} → clicked ${result.funnel.clicked} → recovered ${result.funnel.recovered}`,
    `emails sent ${t.sent}, clicks ${t.clicks}, held out ${t.holdout}`,
    `skipped: ${Object.entries(t.skipped).map(([reason, n]) => `${reason} ${n}`).join(", ") || "none"}`,
    lift
      ? `holdout lift: emailed ${pct(lift.emailedRate)} vs held out ${pct(lift.holdoutRate)}, ${(lift.difference * 100).toFixed(1)} pts (95% CI ${(lift.interval[0] * 100).toFixed(1)} to ${(lift.interval[1] * 100).toFixed(1)})`
      : "holdout lift: no holdout in this period",
    ...ruleLines(result.rules, amount),
    ...abLines(ab, amount),
    "campaigns:",
    ...result.campaigns.map((c) => `  ${c.name} (${c.campaignId}): abandoned ${c.abandoned}, sent ${c.sent}, clicks ${c.clicks}, recovered ${c.recoveredOrders} order(s) ${amount(c.netRevenueMinor)}`),
    "days:",
    ...result.days.map((d) => `  ${d.day}: abandoned ${d.abandoned}, sent ${d.sent}, clicks ${d.clicks}, recovered ${d.recoveredOrders} ${amount(d.netRevenueMinor)}`),
    ...(result.otherCurrencyOrders > 0 ? [`${result.otherCurrencyOrders} recovered order(s) in another currency or without a known amount not summed`] : []),
  ].join("\n"));
}
