import type { FrequencyCap } from "./campaign.ts";

/**
 * When a step held back by the frequency cap may go: null when fewer than `cap.count` emails
 * reached the profile in the window ending at `now`, else the instant the window has slid past
 * enough of them (the `count`-th most recent send + the window). `sends` are the emails' times;
 * a send counts while it is later than `now - windowMs`, as the batch reads count them.
 */
export function capFreeAt(now: Date, cap: FrequencyCap, sends: readonly Date[]): Date | null {
  const since = now.getTime() - cap.windowMs;
  const inWindow = sends.map((at) => at.getTime()).filter((at) => at > since).sort((a, b) => b - a);
  if (inWindow.length < cap.count) return null;
  return new Date(inWindow[cap.count - 1]! + cap.windowMs);
}
