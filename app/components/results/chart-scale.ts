const DAY_MS = 86_400_000;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** The top of a chart's axis: the first of 2, 4, 10 × 10^k at or above `max`, so its half is whole too. */
export function axisMax(max: number): number {
  for (let power = 1; ; power *= 10) {
    for (const step of [2, 4, 10]) if (step * power >= max) return step * power;
  }
}

/** Which days get a label on the x axis: the first, the middle and the last. */
export function xTicks(count: number): number[] {
  if (count <= 0) return [];
  return [...new Set([0, Math.floor((count - 1) / 2), count - 1])];
}

/** "2026-12-06" → "Dec 6". */
export function dayLabel(day: string): string {
  const [, month, date] = day.split("-").map(Number) as [number, number, number];
  return `${MONTHS[month - 1] ?? "?"} ${date}`;
}

/** Every UTC day from `from` to `to` inclusive ("YYYY-MM-DD"); a chart shows the quiet days too. */
export function everyDay(from: string, to: string): string[] {
  const days: string[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let at = Date.parse(`${from}T00:00:00Z`); at <= end && days.length < 366; at += DAY_MS) days.push(new Date(at).toISOString().slice(0, 10));
  return days;
}
