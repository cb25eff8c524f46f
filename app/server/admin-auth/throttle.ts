/**
 * Slows password guessing: at most `limit` failed attempts per client per window.
 * In-process only; a scale-out behind a proxy should also limit there.
 */
export class LoginThrottle {
  private failures = new Map<string, { count: number; since: number }>();

  constructor(
    private readonly limit = 10,
    private readonly windowMs = 15 * 60_000,
  ) {}

  blocked(client: string, now: number): boolean {
    const entry = this.failures.get(client);
    if (!entry || now - entry.since > this.windowMs) return false;
    return entry.count >= this.limit;
  }

  fail(client: string, now: number): void {
    const entry = this.failures.get(client);
    if (!entry || now - entry.since > this.windowMs) this.failures.set(client, { count: 1, since: now });
    else entry.count += 1;
    if (this.failures.size > 10_000) this.failures.clear();
  }

  succeed(client: string): void {
    this.failures.delete(client);
  }
}
