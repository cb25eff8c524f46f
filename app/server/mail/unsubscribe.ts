import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Unsubscribe tokens: base64url(shop \n email) "." base64url(HMAC-SHA256). Signed with the
 * installation secret, so a link works from any process of a scale-out and cannot be forged
 * to unsubscribe someone else. They do not expire: an old email's link must still work.
 */
function mac(secret: string, payload: string): Buffer {
  return createHmac("sha256", secret).update(`unsubscribe:${payload}`).digest();
}

export function signUnsubscribeToken(secret: string, shop: string, email: string): string {
  const payload = Buffer.from(`${shop}\n${email.trim().toLowerCase()}`).toString("base64url");
  return `${payload}.${mac(secret, payload).toString("base64url")}`;
}

export type UnsubscribeToken = { type: "ok"; shop: string; email: string } | { type: "invalid" };

export function verifyUnsubscribeToken(secret: string, token: string): UnsubscribeToken {
  const [payload, signature, extra] = token.split(".");
  if (!payload || !signature || extra !== undefined) return { type: "invalid" };
  const expected = mac(secret, payload);
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { type: "invalid" };
  const [shop, email] = Buffer.from(payload, "base64url").toString("utf8").split("\n");
  if (!shop || !email) return { type: "invalid" };
  return { type: "ok", shop, email };
}

/** RFC 8058 one-click plus RFC 2369 https and mailto forms. */
export function unsubscribeHeaders(appUrl: string, mailbox: string, token: string) {
  const url = unsubscribeUrl(appUrl, token);
  const mailto = `mailto:${mailbox}?subject=${encodeURIComponent(`unsubscribe ${token}`)}`;
  return {
    url,
    headers: {
      "List-Unsubscribe": `<${url}>, <${mailto}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    },
  };
}

export function unsubscribeUrl(appUrl: string, token: string): string {
  return `${appUrl}/unsubscribe?t=${encodeURIComponent(token)}`;
}
