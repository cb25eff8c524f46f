/**
 * Deliveries a second arriving in one process, seen over two spans: the last whole second (a
 * sustained rate) and the last `windowMs` (a burst's first moments). Whole seconds alone let
 * the first 100 deliveries of a 200/s burst count as calm: each was applied before its answer
 * and waited on ingest for up to 2 s while the events API was busy (issue 18, bench:webhooks).
 */
export class ArrivalRate {
  private second = 0;
  private thisSecond = 0;
  private lastSecond = 0;
  /** Arrival times within the window, oldest first. */
  private readonly recent: number[] = [];

  constructor(private readonly windowMs = 100) {}

  /** Counts an arrival at `now` (ms) and returns the rate a second: the larger of the spans. */
  arrive(now: number): number {
    const second = Math.floor(now / 1000);
    if (second !== this.second) {
      this.lastSecond = second === this.second + 1 ? this.thisSecond : 0;
      this.thisSecond = 0;
      this.second = second;
    }
    this.thisSecond++;
    this.recent.push(now);
    while (this.recent.length > 0 && this.recent[0]! <= now - this.windowMs) this.recent.shift();
    return Math.max(this.lastSecond, this.thisSecond, (this.recent.length * 1000) / this.windowMs);
  }
}
