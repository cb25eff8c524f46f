import type { QuietHours } from "./campaign.ts";

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", hour: "2-digit", minute: "2-digit" });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when Intl knows the zone; unknown zones fall back to the shop's (then UTC). */
export function isValidTimeZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** Minutes since local midnight in `timeZone`. */
export function localMinutes(at: Date, timeZone: string): number {
  let hour = 0;
  let minute = 0;
  for (const part of formatter(timeZone).formatToParts(at)) {
    if (part.type === "hour") hour = Number(part.value);
    if (part.type === "minute") minute = Number(part.value);
  }
  return hour * 60 + minute;
}

function parseClock(clock: string): number {
  const [h, m] = clock.split(":");
  return Number(h) * 60 + Number(m);
}

function inWindow(minutes: number, start: number, end: number): boolean {
  if (start === end) return false;
  return start < end ? minutes >= start && minutes < end : minutes >= start || minutes < end;
}

/**
 * When a send due at `now` may go out: null when `now` is outside the quiet window, else the
 * first instant at or after the window's end in `timeZone`. Walks wall-clock minutes and then
 * corrects for DST jumps by re-reading the local time, so a window ending inside a skipped hour
 * still ends.
 */
export function quietUntil(now: Date, quiet: QuietHours, timeZone: string): Date | null {
  const start = parseClock(quiet.start);
  const end = parseClock(quiet.end);
  const local = localMinutes(now, timeZone);
  if (!inWindow(local, start, end)) return null;
  const minutesToEnd = (end - local + 1440) % 1440;
  // Land on the start of the minute, then step forward until the local clock is outside the window.
  let candidate = new Date(Math.floor(now.getTime() / 60_000) * 60_000 + minutesToEnd * 60_000);
  // A DST change inside the window shifts the wall clock: pull back by the overshoot if that
  // instant is still after `now` and already outside the window.
  const overshoot = (localMinutes(candidate, timeZone) - end + 1440) % 1440;
  if (overshoot > 0 && overshoot < 720) {
    const earlier = new Date(candidate.getTime() - overshoot * 60_000);
    if (earlier > now && !inWindow(localMinutes(earlier, timeZone), start, end)) candidate = earlier;
  }
  for (let guard = 0; guard < 4 && inWindow(localMinutes(candidate, timeZone), start, end); guard++) {
    const again = (end - localMinutes(candidate, timeZone) + 1440) % 1440;
    candidate = new Date(candidate.getTime() + Math.max(again, 1) * 60_000);
  }
  return candidate;
}
