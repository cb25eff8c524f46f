/**
 * Shopify's cost-based limit, as reported in `extensions.cost.throttleStatus`. We keep the
 * last report per shop and wait before a call the bucket cannot pay for, instead of
 * spending a request to learn it is THROTTLED.
 */
export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export interface ThrottleReading {
  status: ThrottleStatus;
  at: number;
}

/** Points available at `now`, refilled from the last reading. */
export function projectedAvailable(reading: ThrottleReading, now: number): number {
  const { maximumAvailable, currentlyAvailable, restoreRate } = reading.status;
  return Math.min(maximumAvailable, currentlyAvailable + ((now - reading.at) / 1000) * restoreRate);
}

/** How long to wait before a call costing `cost` can be paid; 0 when it can go now. */
export function waitBeforeMs(reading: ThrottleReading | undefined, cost: number, now: number): number {
  if (!reading || reading.status.restoreRate <= 0) return 0;
  const needed = Math.min(cost, reading.status.maximumAvailable) - projectedAvailable(reading, now);
  return needed <= 0 ? 0 : Math.ceil((needed / reading.status.restoreRate) * 1000);
}

/**
 * After THROTTLED: wait for the missing points to restore, never less than a floor that
 * grows with each attempt (the reported status may be stale when several workers share it).
 */
export function backoffAfterThrottleMs(status: ThrottleStatus | undefined, requestedCost: number, attempt: number): number {
  const floor = Math.min(250 * 2 ** attempt, 10_000);
  if (!status || status.restoreRate <= 0) return floor;
  const missing = Math.max(0, requestedCost - status.currentlyAvailable);
  return Math.max(floor, Math.ceil((missing / status.restoreRate) * 1000));
}
