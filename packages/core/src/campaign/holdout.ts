/**
 * The holdout: a fixed share of a campaign's episodes gets no email, so the recovery rate with
 * and without email can be compared. Deterministic — FNV-1a of shop, campaign and episode —
 * so every worker, retry and re-decision of an episode puts it in the same group, and the
 * groups do not depend on anything about the shopper.
 */
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Also splits A/B variants (variant.ts). */
export function fnv1a(text: string): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, FNV_PRIME) >>> 0;
  }
  // FNV's low bits mix poorly for short, similar keys: fold the high half in (as murmur's finalizer does).
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b) >>> 0;
  hash ^= hash >>> 13;
  return hash >>> 0;
}

/** In basis points: 10 % holds out buckets 0…999 of 10,000. */
export function isHeldOut(shop: string, campaignId: string, episodeId: string, percent: number): boolean {
  if (percent <= 0) return false;
  return fnv1a(`${shop}\n${campaignId}\n${episodeId}`) % 10_000 < Math.round(percent * 100);
}
