import { describe, expect, it } from "vitest";
import { type EpisodeState, type MergingEpisode, advance, onCartChanged, onCharged, onIdentified, onMerged } from "./episode.ts";
import { testCampaign } from "./testing.ts";

const t = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 10, minutes));
const change = (at: Date, added = true, lineCount = 1) => ({ kind: "cart_changed" as const, shop: "s", profileId: "p", at, added, lineCount });
const twoSteps = testCampaign({ steps: [{ delayMs: 15 * 60_000 }, { delayMs: 24 * 3_600_000 }] as never });

function opened(at: Date): EpisodeState {
  const r = onCartChanged(twoSteps, null, null, change(at));
  if (r.type !== "open") throw new Error("expected open");
  return r.episode;
}

describe("episodes", () => {
  it("opens on the first add into a cart, due after the delay", () => {
    expect(opened(t(0))).toMatchObject({ status: "open", nextStep: 0, dueAt: t(15) });
  });

  it("does not open on a removal or an empty cart, or while the campaign is off", () => {
    expect(onCartChanged(twoSteps, null, null, change(t(0), false)).type).toBe("none");
    expect(onCartChanged(twoSteps, null, null, change(t(0), true, 0)).type).toBe("none");
    expect(onCartChanged(testCampaign({ active: false }), null, null, change(t(0))).type).toBe("none");
  });

  it("respects the per-profile cool-down", () => {
    const campaign = testCampaign({ settings: { cooldownMs: 60 * 60_000 } });
    expect(onCartChanged(campaign, null, t(0), change(t(30))).type).toBe("none");
    expect(onCartChanged(campaign, null, t(0), change(new Date(t(0).getTime() + 3_600_000))).type).toBe("open");
  });

  it("debounces: a later change pushes the due time, an older one does not pull it back", () => {
    const r = onCartChanged(twoSteps, opened(t(0)), t(0), change(t(10), false, 2));
    expect(r).toMatchObject({ type: "update", episode: { lastChangeAt: t(10), dueAt: t(25) } });
    if (r.type !== "update") throw new Error();
    expect(onCartChanged(twoSteps, r.episode, t(0), change(t(5)))).toMatchObject({ episode: { dueAt: t(25) } });
  });

  it("a removal and then a re-add of the same item each push the due time to that change + delay", () => {
    const clock = { now: t(0) };
    let episode = opened(clock.now);
    for (const [minutes, added] of [[5, false], [6, true]] as const) {
      clock.now = t(minutes);
      const r = onCartChanged(twoSteps, episode, t(0), change(clock.now, added, 1));
      if (r.type !== "update") throw new Error("expected a debounce");
      episode = r.episode;
      expect(episode).toMatchObject({ status: "open", nextStep: 0, lastChangeAt: t(minutes), dueAt: t(minutes + 15) });
    }
    // Emptied and refilled: the emptied episode ends and the refill opens one due after it.
    expect(onCartChanged(twoSteps, episode, t(0), change(t(7), false, 0))).toMatchObject({ episode: { status: "closed", closedReason: "cart_emptied" } });
    expect(onCartChanged(twoSteps, null, t(0), change(t(8)))).toMatchObject({ type: "open", episode: { dueAt: t(23) } });
  });

  it("ends on an emptied cart, or keeps going when the campaign sends the fallback", () => {
    expect(onCartChanged(twoSteps, opened(t(0)), t(0), change(t(3), false, 0))).toMatchObject({ episode: { status: "closed", closedReason: "cart_emptied" } });
    const fallback = testCampaign({ settings: { emptyCart: "send_fallback" } });
    expect(onCartChanged(fallback, opened(t(0)), t(0), change(t(3), false, 0))).toMatchObject({ episode: { status: "open", dueAt: t(18) } });
  });

  it("ends on Charged unless the order predates the episode", () => {
    expect(onCharged(opened(t(30)), t(40))).toMatchObject({ episode: { status: "closed", closedReason: "purchased" } });
    expect(onCharged(opened(t(30)), t(27)).type).toBe("update");
    expect(onCharged(opened(t(30)), t(0)).type).toBe("none");
  });

  it("re-arms a waiting episode when the shopper is identified", () => {
    const waiting = { ...opened(t(0)), status: "waiting" as const, dueAt: null };
    expect(onIdentified(waiting, t(40))).toMatchObject({ episode: { status: "open", dueAt: t(40) } });
    expect(onIdentified(opened(t(0)), t(40)).type).toBe("none");
  });

  it("schedules the next step from the last change but never sooner than the spacing", () => {
    const next = advance(twoSteps, opened(t(0)), t(15));
    expect(next).toMatchObject({ nextStep: 1, dueAt: new Date(t(0).getTime() + 24 * 3_600_000) });
    const late = advance(twoSteps, opened(t(0)), new Date(t(0).getTime() + 20 * 3_600_000));
    expect(late.dueAt!.getTime()).toBe(t(0).getTime() + 20 * 3_600_000 + (24 * 60 - 15) * 60_000);
    expect(advance(twoSteps, next, t(0))).toMatchObject({ status: "closed", closedReason: "completed" });
  });
});

describe("episode max age", () => {
  it("ends an episode older than its max age on the next add and starts a new one", () => {
    const campaign = testCampaign({ settings: { maxAgeMs: 3_600_000 } });
    const first = onCartChanged(campaign, null, null, change(t(0)));
    if (first.type !== "open") throw new Error();
    const later = new Date(t(0).getTime() + 2 * 3_600_000);
    expect(onCartChanged(campaign, first.episode, t(0), change(later))).toMatchObject({
      type: "replace",
      closed: { status: "closed", closedReason: "max_age" },
      episode: { status: "open", startedAt: later },
    });
    expect(onCartChanged(campaign, first.episode, t(0), change(later, false))).toMatchObject({ type: "update", episode: { closedReason: "max_age" } });
  });
});

describe("episodes of merged profiles", () => {
  const oneStep = testCampaign();
  const live = (id: string, profileId: string, state: EpisodeState): MergingEpisode => ({ id, profileId, state, closedAt: null });
  const ended = (id: string, profileId: string, state: EpisodeState, closedAt: Date): MergingEpisode => ({
    id, profileId, closedAt, state: { ...state, status: "closed", dueAt: null, closedReason: "completed" },
  });

  it("ends the other device's episode when the step already went out for this shopper", () => {
    const sent = advance(oneStep, opened(t(0)), t(15));
    const other = opened(t(5));
    expect(onMerged(oneStep, [ended("a", "p0", sent, t(15)), live("b", "p1", other)])).toEqual([
      { id: "b", episode: { ...other, status: "closed", dueAt: null, closedReason: "merged" } },
    ]);
  });

  it("does not count an episode that ended before the live one started", () => {
    const earlier = advance(oneStep, opened(t(0)), t(15));
    const later = opened(t(20));
    expect(onMerged(oneStep, [ended("a", "p0", earlier, t(15)), live("b", "p1", later)])).toEqual([
      { id: "b", episode: { ...later, dueAt: t(35) } },
    ]);
  });

  it("keeps the earliest, debounced to the latest change, and re-arms it when it was parked", () => {
    const waiting: EpisodeState = { ...opened(t(0)), status: "waiting", dueAt: new Date(t(0).getTime() + 7 * 86_400_000) };
    const writes = onMerged(oneStep, [live("b", "p1", opened(t(10))), live("a", "p0", waiting)]);
    expect(writes).toEqual([
      { id: "a", episode: { ...waiting, status: "open", lastChangeAt: t(10), dueAt: t(25) } },
      { id: "b", episode: { ...opened(t(10)), status: "closed", dueAt: null, closedReason: "merged" } },
    ]);
  });

  it("goes on from the furthest step any of them reached, keeping its spaced or deferred due time", () => {
    const atStep1 = advance(twoSteps, opened(t(5)), t(20));
    const deferred = { ...atStep1, dueAt: new Date(atStep1.dueAt!.getTime() + 3_600_000) };
    const [keep] = onMerged(twoSteps, [live("a", "p0", { ...opened(t(0)), status: "waiting" }), live("b", "p1", deferred)]);
    expect(keep).toMatchObject({ id: "a", episode: { status: "open", nextStep: 1, lastChangeAt: t(5), dueAt: deferred.dueAt } });
  });

  it("ignores the surviving episode's own profile's earlier episodes, judged before the merge", () => {
    const own = ended("a", "p0", opened(t(0)), t(15));
    const next = opened(t(14));
    expect(onMerged(oneStep, [own, live("b", "p0", next)])).toEqual([{ id: "b", episode: { ...next, dueAt: t(29) } }]);
  });
});
