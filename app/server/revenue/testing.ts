/**
 * The targets of an email's click links (`/r/<token>`), read without checking the MAC: for
 * tests that look at where an email's links lead. Empty when the HTML has none.
 */
export function clickTargets(html: string): string[] {
  const out: string[] = [];
  for (const match of html.matchAll(/href=["'][^"']*\/r\/([\w-]+)\.[\w-]+["']/g)) {
    try {
      const payload = JSON.parse(Buffer.from(match[1]!, "base64url").toString("utf8")) as { u?: unknown };
      if (typeof payload.u === "string") out.push(payload.u);
    } catch {
      // Not one of ours.
    }
  }
  return out;
}

/** A seeded generator of numbers in [0, 1), so a failure on random data can be replayed. */
export function seededRandom(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    return x / 2_147_483_648;
  };
}
