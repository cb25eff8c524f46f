/**
 * JSON.parse turns `704912205188288575` into 704912205188288600: webhook ids above 2^53
 * lose digits. This parses JSON with every integer literal that is not a safe integer kept
 * as its exact digit string. Node 20 has no JSON.parse source access, so the text is
 * rewritten first, outside string literals only.
 */
export function parseJsonLossless(text: string): unknown {
  return JSON.parse(quoteUnsafeIntegers(text));
}

export function quoteUnsafeIntegers(text: string): string {
  let out = "";
  let last = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      i++;
      while (i < n) {
        const s = text.charCodeAt(i);
        if (s === 92 /* \ */) i += 2;
        else if (s === 34) break;
        else i++;
      }
      i++;
      continue;
    }
    if ((c >= 48 && c <= 57) || c === 45 /* - */) {
      const start = i;
      i++;
      while (i < n && isNumberChar(text.charCodeAt(i))) i++;
      const literal = text.slice(start, i);
      const digits = literal.replace(/^-/, "");
      if (digits.length >= 16 && /^-?\d+$/.test(literal) && !Number.isSafeInteger(Number(literal))) {
        out += `${text.slice(last, start)}"${literal}"`;
        last = i;
      }
      continue;
    }
    i++;
  }
  return last === 0 ? text : out + text.slice(last);
}

function isNumberChar(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 46 || c === 101 || c === 69 || c === 43 || c === 45;
}
