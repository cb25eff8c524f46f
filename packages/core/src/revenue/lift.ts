/**
 * What email adds over the holdout: the difference of two conversion rates (emailed episodes
 * that ordered vs held-out episodes that ordered) with a 95 % Wald interval. Pure.
 */
export interface Group {
  episodes: number;
  converted: number;
}

export interface Lift {
  emailedRate: number;
  holdoutRate: number;
  /** emailedRate − holdoutRate, in rate points (0.05 = five points). */
  difference: number;
  /** 95 % interval of the difference; it contains 0 when the data cannot tell email from no email. */
  interval: [number, number];
  /** How many times the holdout's rate the emailed rate is; null when the holdout converted nobody. */
  relative: number | null;
}

const Z95 = 1.959964;

/** Null when either group is empty: no comparison without both. */
export function holdoutLift(emailed: Group, holdout: Group): Lift | null {
  if (emailed.episodes <= 0 || holdout.episodes <= 0) return null;
  const p1 = Math.min(1, emailed.converted / emailed.episodes);
  const p0 = Math.min(1, holdout.converted / holdout.episodes);
  const se = Math.sqrt((p1 * (1 - p1)) / emailed.episodes + (p0 * (1 - p0)) / holdout.episodes);
  const difference = p1 - p0;
  return {
    emailedRate: p1,
    holdoutRate: p0,
    difference,
    interval: [difference - Z95 * se, difference + Z95 * se],
    relative: p0 > 0 ? p1 / p0 : null,
  };
}
