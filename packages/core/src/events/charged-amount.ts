/** What a stored Charged body says about money; every field optional, as bodies from any source are. */
export interface ChargedMoney {
  total?: number | null;
  currency?: string | null;
  lines?: { quantity: number; unitPrice: number | null; currency: string | null }[];
}

export type ChargedAmount =
  | { type: "total"; minor: number; currency: string | null }
  | { type: "lines"; minor: number; currency: string | null }
  | { type: "unknown"; currency: string | null };

/**
 * The amount an order stands for: its total when the source sent one, else the sum of its lines
 * (unit price × quantity, integer minor units of the order's currency). Custom sources may send
 * only lines; a line without a price or in another currency makes that sum a guess, and an order
 * of unknown amount must not read as a free one.
 */
export function chargedAmount(body: ChargedMoney): ChargedAmount {
  const lines = body.lines ?? [];
  const currency = body.currency ?? lines.find((l) => l.currency)?.currency ?? null;
  if (typeof body.total === "number") return { type: "total", minor: body.total, currency };
  let minor = 0;
  let priced = 0;
  for (const line of lines) {
    if (line.quantity === 0) continue;
    if (line.unitPrice === null || (line.currency ?? currency) !== currency) return { type: "unknown", currency };
    minor += line.unitPrice * line.quantity;
    priced++;
  }
  if (priced === 0 || !Number.isSafeInteger(minor)) return { type: "unknown", currency };
  return { type: "lines", minor, currency };
}
