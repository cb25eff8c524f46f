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

export function summarize(results: EventResult[]): IngestSummary {
  const count = (status: EventResult["status"]) => results.filter((r) => r.status === status).length;
  const queued = count("queued");
  return { accepted: count("accepted"), duplicate: count("duplicate"), ignored: count("ignored"), rejected: count("rejected"), results, ...(queued > 0 ? { queued } : {}) };
}
