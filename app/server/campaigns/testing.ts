import type { ProfileState } from "@cartback/core/profile/state";
import type { Database, Db } from "@cartback/db";
import { createLogger } from "../logger.ts";
import type { MailTransport } from "../mail/transport.ts";
import type { SchedulerContext } from "./context.ts";
import { decideDue } from "./decide-due.ts";
import { claimRecoverable, deliver } from "./deliver.ts";
import { type CampaignDeps, depsFromProfiles } from "./deps.ts";

/** A settable clock for scheduler tests. */
export class TestClock {
  constructor(public current: Date) {}
  now = () => new Date(this.current);
  set(at: Date) {
    this.current = at;
  }
  advance(ms: number) {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/**
 * Profiles held in memory in place of the events area's read model, for tests of the
 * scheduler alone (the journey simulator runs against the real one).
 */
export function memoryProfiles(): { profiles: Map<string, ProfileState>; deps: CampaignDeps } {
  const profiles = new Map<string, ProfileState>();
  return {
    profiles,
    deps: depsFromProfiles((shop, id) => {
      const p = profiles.get(id);
      return p && p.shop === shop ? structuredClone(p) : null;
    }),
  };
}

export function testSchedulerContext(database: Database, deps: CampaignDeps, clock: TestClock, shop: string, overrides: Partial<SchedulerContext> = {}): SchedulerContext {
  return {
    db: database.db as Db,
    deps,
    logger: createLogger({ level: "silent" }),
    appUrl: "https://cartback.test",
    appSecret: "test-app-secret",
    mailFrom: "Cartback <carts@cartback.test>",
    now: clock.now,
    leaseMs: 60_000,
    retryBaseMs: 30_000,
    onlyShops: [shop],
    ...overrides,
  };
}

/** One worker round to completion at the clock's current time; returns how many were delivered. */
export async function drain(ctx: SchedulerContext, transport: MailTransport): Promise<number> {
  let delivered = 0;
  for (;;) {
    const { decided, sends } = await decideDue(ctx, 100);
    const resumed = await claimRecoverable(ctx, 100);
    for (const send of sends) await deliver(ctx, transport, send);
    for (const send of resumed) await deliver(ctx, transport, send, { resumed: true });
    delivered += sends.length + resumed.length;
    if (decided === 0 && resumed.length === 0) return delivered;
  }
}
