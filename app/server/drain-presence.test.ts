import { appState } from "@cartback/db";
import { describeEachDatabase } from "@cartback/db/testing";
import { eq, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { announceDrains, drainsRunning, runningDrains } from "./drain-presence.ts";
import { createLogger } from "./logger.ts";

const logger = createLogger({ level: "silent" });

describeEachDatabase("drain presence", (database) => {
  it("counts a process from its announcement until it stops", async () => {
    const before = await runningDrains(database());
    const announcement = announceDrains(database(), logger);
    await expect.poll(() => runningDrains(database())).toBe(before + 1);
    await announcement.stop();
    expect(await runningDrains(database())).toBe(before);
  });

  it("does not count a process that stopped renewing (killed), and forgets it after a day", async () => {
    const before = await runningDrains(database());
    const { db } = database();
    await db.insert(appState).values([
      { key: "drains:gone-host:1:stale", value: "webhooks,events", updatedAt: sql`now() - interval '20 seconds'` },
      { key: "drains:gone-host:2:old", value: "webhooks,events", updatedAt: sql`now() - interval '2 days'` },
    ]);
    expect(await runningDrains(database())).toBe(before);
    const announcement = announceDrains(database(), logger);
    await expect.poll(async () => (await db.select().from(appState).where(eq(appState.key, "drains:gone-host:2:old"))).length).toBe(0);
    expect(await db.select().from(appState).where(eq(appState.key, "drains:gone-host:1:stale"))).toHaveLength(1);
    await announcement.stop();
  });

  it("answers from what it read last and reads again in the background", async () => {
    const announcement = announceDrains(database(), logger);
    await expect.poll(() => runningDrains(database())).toBeGreaterThan(0);
    // The first question starts the read; the answer comes with a later one.
    drainsRunning(database());
    await expect.poll(() => drainsRunning(database())).toBe(true);
    await announcement.stop();
  });
});
