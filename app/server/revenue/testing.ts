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
