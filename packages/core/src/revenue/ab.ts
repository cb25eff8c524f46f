/**
 * An A/B test judged by money: recovered orders and revenue per recipient of each variant, and
 * 95 % intervals of the differences (B − A). Opens and clicks are not inputs on purpose: image
 * proxies open every email, and a click is not a sale. Pure.
 */
export interface VariantSample {
  /** Episodes the step's email was sent to in this variant. */
  recipients: number;
  /** Of those, episodes with a recovered order. */
  converted: number;
  /** Recovered orders (an episode may have several). */
  orders: number;
  /** Net recovered revenue, minor units, summed over recipients. */
  revenueMinor: number;
  /** Σ over recipients of (their net recovered revenue)², for the variance. */
  revenueSquares: number;
}

export interface Difference {
  /** B − A. */
  difference: number;
  /** 95 % interval; it contains 0 when the data cannot tell the variants apart. */
  interval: [number, number];
}

export interface AbResult {
  a: { conversionRate: number; revenuePerRecipient: number };
  b: { conversionRate: number; revenuePerRecipient: number };
  /** Two-proportion (Wald) interval of the conversion rates; null until both have two recipients. */
  conversion: Difference | null;
  /** Welch / normal interval of revenue per recipient (minor units); null until both have two recipients. */
  revenuePerRecipient: Difference | null;
  /** "no winner yet" (null) until the revenue interval excludes 0 with enough recipients on each side. */
  winner: "A" | "B" | null;
}

const Z95 = 1.959964;
/** Below this many recipients a side, the normal approximation is not trusted to name a winner. */
export const MIN_RECIPIENTS_FOR_WINNER = 30;

function rate(s: VariantSample): number {
  return s.recipients > 0 ? Math.min(1, s.converted / s.recipients) : 0;
}

function mean(s: VariantSample): number {
  return s.recipients > 0 ? s.revenueMinor / s.recipients : 0;
}

/** Sample variance of per-recipient revenue; clamped at 0 against rounding of the sums. */
function variance(s: VariantSample): number {
  const m = mean(s);
  return Math.max(0, (s.revenueSquares - s.recipients * m * m) / (s.recipients - 1));
}

function around(difference: number, se: number): Difference {
  return { difference, interval: [difference - Z95 * se, difference + Z95 * se] };
}

export function compareVariants(a: VariantSample, b: VariantSample): AbResult {
  const enough = a.recipients >= 2 && b.recipients >= 2;
  const pa = rate(a);
  const pb = rate(b);
  const conversion = enough ? around(pb - pa, Math.sqrt((pa * (1 - pa)) / a.recipients + (pb * (1 - pb)) / b.recipients)) : null;
  const revenuePerRecipient = enough ? around(mean(b) - mean(a), Math.sqrt(variance(a) / a.recipients + variance(b) / b.recipients)) : null;
  const sure = revenuePerRecipient !== null && Math.min(a.recipients, b.recipients) >= MIN_RECIPIENTS_FOR_WINNER;
  const [low, high] = revenuePerRecipient?.interval ?? [0, 0];
  const winner = !sure ? null : low > 0 ? "B" : high < 0 ? "A" : null;
  return { a: { conversionRate: pa, revenuePerRecipient: mean(a) }, b: { conversionRate: pb, revenuePerRecipient: mean(b) }, conversion, revenuePerRecipient, winner };
}
