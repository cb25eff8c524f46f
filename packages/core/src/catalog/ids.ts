/**
 * Shopify ids arrive as GIDs (`gid://shopify/ProductVariant/123`), digit strings, or JSON
 * numbers that may exceed 2^53. Catalog rows key on the digits only, so every source is
 * normalized here; a number above 2^53 has already lost digits and is refused.
 */
const GID = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(?:\?.*)?$/;

export function gidType(gid: string): string | null {
  return GID.exec(gid)?.[1] ?? null;
}

export function numericId(value: unknown): string | null {
  if (typeof value === "string") {
    if (/^\d+$/.test(value)) return value;
    return GID.exec(value)?.[2] ?? null;
  }
  if (typeof value === "bigint") return value >= 0n ? value.toString() : null;
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return String(value);
  return null;
}

/**
 * JSON.parse that keeps integers longer than 15 digits as strings, so webhook ids above
 * 2^53 survive. Node 20 has no reviver source access, hence this scan over the raw text.
 */
export function parseJsonKeepingBigIds(text: string): unknown {
  return JSON.parse(quoteLongIntegers(text));
}

function quoteLongIntegers(text: string): string {
  let out = "";
  let last = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      i++;
      while (i < text.length && text.charCodeAt(i) !== 34) i += text.charCodeAt(i) === 92 ? 2 : 1;
      i++;
      continue;
    }
    if ((c >= 48 && c <= 57) || c === 45) {
      let j = i + 1;
      while (j < text.length && /[0-9.eE+-]/.test(text[j]!)) j++;
      const token = text.slice(i, j);
      if (/^\d{16,}$/.test(token)) {
        out += `${text.slice(last, i)}"${token}"`;
        last = j;
      }
      i = j;
      continue;
    }
    i++;
  }
  return last === 0 ? text : out + text.slice(last);
}
