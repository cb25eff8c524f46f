/**
 * Slows password guessing without locking the owner out.
 *
 * Per client (an IPv4 address, or an IPv6 /64, since one host owns a whole /64): a few free
 * failures, then each failure doubles the wait before that client may try again (1 s, 2 s, 4 s,
 * … up to 15 min). Per account: once many clients fail in one window (a distributed guess),
 * a client gets only one free failure before its own backoff starts. A client that has not
 * failed is never refused, so the right password from a fresh device always gets through,
 * whatever another client is doing. Time comes in as an argument.
 *
 * In-process only: a scale-out behind a proxy should also limit there.
 */
export interface ThrottlePolicy {
  /** Failures a client gets before backoff starts, normally and while the account is attacked. */
  freeFailures: number;
  freeFailuresUnderAttack: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A client's failures are forgotten after this long without one. */
  forgetAfterMs: number;
  /** Failures across all clients within `accountWindowMs` that mean the account is attacked. */
  accountAttackFailures: number;
  accountWindowMs: number;
  /** Clients remembered at most (least recently failed forgotten first). */
  maxClients: number;
}

export const DEFAULT_THROTTLE_POLICY: ThrottlePolicy = {
  freeFailures: 5,
  freeFailuresUnderAttack: 1,
  baseDelayMs: 1_000,
  maxDelayMs: 15 * 60_000,
  forgetAfterMs: 24 * 60 * 60_000,
  accountAttackFailures: 30,
  accountWindowMs: 15 * 60_000,
  maxClients: 50_000,
};

export type ThrottleDecision = { type: "allowed" } | { type: "wait"; retryAfterMs: number };

interface ClientRecord {
  failures: number;
  lastFailureAt: number;
  blockedUntil: number;
}

export class LoginThrottle {
  private readonly clients = new Map<string, ClientRecord>();
  private readonly accounts = new Map<string, { failures: number; since: number }>();

  constructor(private readonly policy: ThrottlePolicy = DEFAULT_THROTTLE_POLICY) {}

  check(client: string, now: number): ThrottleDecision {
    const record = this.current(clientKey(client), now);
    if (!record || now >= record.blockedUntil) return { type: "allowed" };
    return { type: "wait", retryAfterMs: record.blockedUntil - now };
  }

  fail(account: string, client: string, now: number): void {
    const underAttack = this.countAccountFailure(account, now);
    const key = clientKey(client);
    const record = this.current(key, now) ?? { failures: 0, lastFailureAt: now, blockedUntil: 0 };
    record.failures += 1;
    record.lastFailureAt = now;
    const free = underAttack ? this.policy.freeFailuresUnderAttack : this.policy.freeFailures;
    const over = record.failures - free;
    if (over >= 0) record.blockedUntil = now + Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** Math.min(over, 30));
    // Re-inserted so the Map's order is least recently failed first.
    this.clients.delete(key);
    this.clients.set(key, record);
    if (this.clients.size > this.policy.maxClients) this.clients.delete(this.clients.keys().next().value!);
  }

  succeed(client: string): void {
    this.clients.delete(clientKey(client));
  }

  private current(key: string, now: number): ClientRecord | undefined {
    const record = this.clients.get(key);
    if (record && now - record.lastFailureAt > this.policy.forgetAfterMs && now >= record.blockedUntil) {
      this.clients.delete(key);
      return undefined;
    }
    return record;
  }

  /** Counts one failure for the account; true when the account is under attack. */
  private countAccountFailure(account: string, now: number): boolean {
    let entry = this.accounts.get(account);
    if (!entry || now - entry.since > this.policy.accountWindowMs) {
      entry = { failures: 0, since: now };
      this.accounts.set(account, entry);
    }
    entry.failures += 1;
    return entry.failures >= this.policy.accountAttackFailures;
  }
}

/** IPv4 as is; IPv6 by its /64 (one host may use any address in it). */
export function clientKey(address: string): string {
  const v4 = address.replace(/^::ffff:/i, "");
  if (!v4.includes(":")) return v4;
  const [head = "", tail = ""] = address.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = address.includes("::") ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}

const throttles = new WeakMap<object, LoginThrottle>();

/** One throttle per running server (tests start several in one process). */
export function loginThrottle(runtime: object): LoginThrottle {
  let throttle = throttles.get(runtime);
  if (!throttle) {
    throttle = new LoginThrottle();
    throttles.set(runtime, throttle);
  }
  return throttle;
}
