import { type Db, campaignEpisodes } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { expect, it } from "vitest";
import { fixtureProfile } from "../worker/fixture-worker.ts";
import { decideDue } from "./decide-due.ts";
import { depsFromProfiles } from "./deps.ts";
import { ensureDefaultCampaign } from "./repository.ts";
import { TestClock, testSchedulerContext } from "./testing.ts";

const T0 = new Date("2026-03-02T12:00:00Z");

describeEachDatabase("decideDue and the worker's other work", (database) => {
  it("lets the event loop turn while it composes a large batch (the SMTP connections answer on it)", async () => {
    const shop = randomShop("slice");
    const db = database().db as Db;
    const campaign = await ensureDefaultCampaign(db, shop);
    const at = new Date(T0.getTime() - 20 * 60_000);
    await db.insert(campaignEpisodes).values(Array.from({ length: 150 }, (_, i) => ({
      id: `slice-${i}`, shop, campaignId: campaign.id, profileId: `p${i}`, status: "open", startedAt: at, lastChangeAt: at, nextStep: 0, dueAt: T0,
    })));
    // The event loop's turns so far (a spinner), as the composer reads each shopper's last name.
    let turns = 0;
    const atCompose: number[] = [];
    const deps = depsFromProfiles((s, profileId) =>
      Object.defineProperty(fixtureProfile(s, profileId), "lastName", {
        enumerable: true,
        get: () => {
          atCompose.push(turns);
          return null;
        },
      }),
    );
    const ctx = testSchedulerContext(database(), deps, new TestClock(T0), shop);
    let spinning = true;
    const spin = () => {
      turns++;
      if (spinning) setImmediate(spin);
    };
    spin();
    const { sends } = await decideDue(ctx, 200);
    spinning = false;

    expect(sends).toHaveLength(150);
    expect(atCompose.length).toBeGreaterThanOrEqual(150);
    // Composed in one synchronous stretch, every email would see the same turn.
    expect(atCompose.at(-1)!).toBeGreaterThan(atCompose[0]!);
  });
});
