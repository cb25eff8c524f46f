/**
 * One result per submitted event, in request order. `ignored`: valid but not stored
 * (cart tracking is off for the shop, or a pixel event that says nothing about a cart).
 */
export type EventResult =
  | { index: number; id: string; status: "accepted" | "duplicate" }
  | { index: number; id: string | null; status: "ignored"; reason: string }
  | { index: number; id: string | null; status: "rejected"; field: string; reason: string };

export interface IngestSummary {
  accepted: number;
  duplicate: number;
  ignored: number;
  rejected: number;
  results: EventResult[];
}

export function summarize(results: EventResult[]): IngestSummary {
  const count = (status: EventResult["status"]) => results.filter((r) => r.status === status).length;
  return { accepted: count("accepted"), duplicate: count("duplicate"), ignored: count("ignored"), rejected: count("rejected"), results };
}
