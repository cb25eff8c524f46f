import type { AbStep } from "../revenue/ab-report.ts";
import type { RuleFigures } from "../revenue/rule-counts.ts";

type Amount = (minor: number) => string;

/** `discount_code 3 order(s) $12.00, click 1 order(s) $4.00` (net of refunds in the period). */
export function ruleLines(rules: RuleFigures[], amount: Amount): string[] {
  if (rules.length === 0) return ["recovered by rule: none"];
  return ["recovered by rule:", ...rules.map((r) => `  ${r.rule}: ${r.orders} order(s) ${amount(r.netRevenueMinor)}`)];
}

/**
 * Each A/B-tested step: recipients, recovered orders and revenue per recipient of each variant,
 * the 95 % interval of B − A revenue per recipient and the winner (or "no winner yet").
 */
export function abLines(steps: AbStep[], amount: Amount): string[] {
  if (steps.length === 0) return ["A/B tests: none in this period"];
  const signed = (minor: number) => `${minor >= 0 ? "+" : "-"}${amount(Math.abs(Math.round(minor)))}`;
  const out = ["A/B tests (judged by revenue per recipient):"];
  for (const s of steps) {
    out.push(`  ${s.name} (${s.campaignId}) step ${s.step + 1}:`);
    for (const [label, v] of [["A", s.a], ["B", s.b]] as const) {
      const per = v.recipients > 0 ? Math.round(v.revenueMinor / v.recipients) : 0;
      out.push(`    ${label}: ${v.recipients} recipient(s), ${v.orders} recovered order(s), ${amount(per)} per recipient`);
    }
    const d = s.result.revenuePerRecipient;
    const verdict = s.result.winner ? `winner ${s.result.winner}` : "no winner yet";
    out.push(d
      ? `    B - A per recipient ${signed(d.difference)} (95% CI ${signed(d.interval[0])} to ${signed(d.interval[1])}): ${verdict}`
      : `    too few recipients for an interval: ${verdict}`);
  }
  return out;
}
