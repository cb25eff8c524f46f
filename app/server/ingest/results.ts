/**
 * One result per submitted event, in request order. `ignored`: valid but not stored
 * (cart tracking is off for the shop, or a pixel event that says nothing about a cart).
 * `queued`: valid and stored durably during a burst, applied within seconds (a repeat of an
 * event already applied is then dropped): the sender must not resend it.
 */
export type EventResult =
  | { index: number; id: string; status: "accepted" | "duplicate" | "queued" }
  | { index: number; id: string | null; status: "ignored"; reason: string }
  | { index: number; id: string | null; status: "rejected"; field: string; reason: string };

export interface IngestSummary {
  accepted: number;
  duplicate: number;
  /** Present only when some were: answers outside a burst keep their shape. */
  queued?: number;
  ignored: number;
  rejected: number;
  results: EventResult[];
}

/** One pass, no spread: every /collect answer is summarized (profile of bench:ingest). Same keys in the same order as before. */
export function summarize(results: EventResult[]): IngestSummary {
  let accepted = 0;
  let duplicate = 0;
  let queued = 0;
  let ignored = 0;
  let rejected = 0;
  for (const r of results) {
    if (r.status === "accepted") accepted++;
    else if (r.status === "duplicate") duplicate++;
    else if (r.status === "queued") queued++;
    else if (r.status === "ignored") ignored++;
    else rejected++;
  }
  const summary: IngestSummary = { accepted, duplicate, ignored, rejected, results };
  if (queued > 0) summary.queued = queued;
  return summary;
}
