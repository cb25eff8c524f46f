import { describe, expect, it } from "vitest";
import { type EpisodeState, advance, onCartChanged } from "./episode.ts";
import { type LastEmail, type ShownLine, alreadyShown, countsFrom, shownBy } from "./last-email.ts";
import { testCampaign } from "./testing.ts";

const t = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 10, 0) + minutes * 60_000);
const DAY_MIN = 24 * 60;
const A1 = [{ variantId: "111", quantity: 1 }];
const A2 = [{ variantId: "111", quantity: 2 }];
const A1B1 = [{ variantId: "111", quantity: 1 }, { variantId: "222", quantity: 1 }];
const oneStep = testCampaign();
const twoSteps = testCampaign({ steps: [{ delayMs: 15 * 60_000 }, { delayMs: 24 * 3_600_000 }] as never });

/** A cart change that happened at `at` minutes and reached Cartback at `received` minutes. */
function change(at: number, received: number, lines: ShownLine[], added = true) {
  return { kind: "cart_changed" as const, shop: "s", profileId: "p", at: t(at), receivedAt: t(received), added, lineCount: lines.length, lines };
}
const emailAt = (minutes: number, lines: ShownLine[] | null = A1): LastEmail => ({ at: t(minutes), lines });

describe("shownBy", () => {
  it("holds when every line was in the email with at least that quantity", () => {
    expect(shownBy(A1, A1)).toBe(true);
    expect(shownBy(A1, A1B1)).toBe(true);
    expect(shownBy([], A1)).toBe(true);
    expect(shownBy(A2, A1)).toBe(false);
    expect(shownBy(A1B1, A1)).toBe(false);
  });
});

describe("a cart change learned after an email (late and retried webhooks)", () => {
  it("opens no episode for a snapshot from before the email, delivered after it, showing what the email showed", () => {
    // The email went out at 15 for the add at 0; the add's own snapshot (or an older one) lands at 16.
    expect(onCartChanged(oneStep, null, null, change(0, 16, A1), emailAt(15))).toEqual({ type: "none" });
    expect(onCartChanged(oneStep, null, null, change(0, 16, []), emailAt(15))).toEqual({ type: "none" });
  });

  it("opens no episode for a re-add after the email of what the email already showed", () => {
    expect(onCartChanged(oneStep, null, null, change(20, 20, A1), emailAt(15, A1B1))).toEqual({ type: "none" });
  });

  it("makes a real change from before the email due the delay after it was learned, not after it happened", () => {
    const r = onCartChanged(oneStep, null, null, change(1, 20, A2), emailAt(15));
    expect(r).toEqual({ type: "open", episode: { status: "open", startedAt: t(1), lastChangeAt: t(20), nextStep: 0, dueAt: t(35), closedReason: null } });
  });

  it("counts a change that happened after the email from when it happened", () => {
    expect(onCartChanged(oneStep, null, null, change(20, 21, A1B1), emailAt(15))).toMatchObject({ type: "open", episode: { dueAt: t(35) } });
    expect(countsFrom(change(20, 21, A1B1), emailAt(15))).toEqual(t(20));
  });

  it("counts a change learned late from when it happened when no email went out in between", () => {
    expect(onCartChanged(oneStep, null, null, change(0, 3, A1), null)).toMatchObject({ type: "open", episode: { lastChangeAt: t(0), dueAt: t(15) } });
    expect(onCartChanged(oneStep, null, null, change(0, 3, A1B1), emailAt(-60))).toMatchObject({ type: "open", episode: { dueAt: t(15) } });
  });

  it("lets the same cart start a new abandonment once the email is older than the max age", () => {
    const weekLater = 8 * DAY_MIN;
    expect(alreadyShown(change(weekLater, weekLater, A1), emailAt(15), oneStep.settings.maxAgeMs)).toBe(false);
    expect(onCartChanged(oneStep, null, null, change(weekLater, weekLater, A1), emailAt(15))).toMatchObject({ type: "open" });
  });

  it("suppresses nothing when the email's cart was not stored, but still counts from when the change was learned", () => {
    expect(onCartChanged(oneStep, null, null, change(0, 16, A1), emailAt(15, null))).toMatchObject({ type: "open", episode: { dueAt: t(31) } });
  });

  it("ends a late episode when the cart is emptied, even by a change stamped before the one it counts from", () => {
    const late = onCartChanged(oneStep, null, null, change(1, 20, A2), emailAt(15));
    if (late.type !== "open") throw new Error("expected open");
    const emptied = { ...change(18, 21, []), added: false, lineCount: 0 };
    expect(onCartChanged(oneStep, late.episode, t(1), emptied, emailAt(15))).toMatchObject({ type: "update", episode: { status: "closed", closedReason: "cart_emptied" } });
  });

  it("ends an episode that sent nothing when the cart goes back to what the last email showed", () => {
    const grown = onCartChanged(oneStep, null, null, change(20, 20, A1B1), emailAt(15));
    if (grown.type !== "open") throw new Error("expected open");
    const back = onCartChanged(oneStep, grown.episode, t(20), change(22, 22, A1, false), emailAt(15));
    expect(back).toMatchObject({ type: "update", episode: { status: "closed", dueAt: null, closedReason: "already_emailed" } });
  });

  it("never opens for an empty cart or a removal, however late", () => {
    expect(onCartChanged(oneStep, null, null, { ...change(1, 20, []), lineCount: 0 }, emailAt(15)).type).toBe("none");
    expect(onCartChanged(oneStep, null, null, change(1, 20, A1B1, false), emailAt(15)).type).toBe("none");
  });

  describe("in an episode with a step still to come", () => {
    const afterFirst = (): EpisodeState => {
      const r = onCartChanged(twoSteps, null, null, change(0, 0, A1));
      if (r.type !== "open") throw new Error("expected open");
      return advance(twoSteps, r.episode, t(15));
    };

    it("leaves the next step alone for a late change the email already showed", () => {
      expect(onCartChanged(twoSteps, afterFirst(), t(0), change(5, 16, A1), emailAt(15)).type).toBe("none");
    });

    it("moves the next step to its delay after a late real change became known", () => {
      const r = onCartChanged(twoSteps, afterFirst(), t(0), change(5, 16, A1B1), emailAt(15));
      expect(r).toMatchObject({ type: "update", episode: { nextStep: 1, lastChangeAt: t(16), dueAt: t(16 + DAY_MIN) } });
    });

    it("debounces as before on a change after the email, even one the email showed", () => {
      const r = onCartChanged(twoSteps, afterFirst(), t(0), change(30, 30, A1, false), emailAt(15, A1B1));
      expect(r).toMatchObject({ type: "update", episode: { lastChangeAt: t(30), dueAt: t(30 + DAY_MIN) } });
    });
  });
});
