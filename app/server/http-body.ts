/**
 * Bounded request bodies. `request.formData()` reads whatever it is sent, so a 200 MB form is
 * held in memory before the route sees a field; here the stream is counted as it arrives and
 * abandoned at the cap. A form that fails to parse (malformed multipart, an unknown content
 * type) is the client's mistake: a 400, not a 500.
 */
export const FORM_BODY_LIMIT = 64 * 1024;

export type FormBody =
  | { type: "ok"; form: FormData }
  | { type: "too_large"; limit: number }
  | { type: "malformed"; message: string };

export async function readFormBody(request: Request, limit = FORM_BODY_LIMIT): Promise<FormBody> {
  const body = await readCappedBody(request, limit);
  if (body.type === "too_large") return body;
  const copy = new Request(request.url, { method: "POST", headers: request.headers, body: body.bytes });
  try {
    return { type: "ok", form: await copy.formData() };
  } catch {
    return { type: "malformed", message: "the body is not a valid form (application/x-www-form-urlencoded or multipart/form-data)" };
  }
}

export type CappedBody = { type: "ok"; bytes: Uint8Array<ArrayBuffer> } | { type: "too_large"; limit: number };

/**
 * The one way a route reads a body it has not parsed yet (forms, the events API and app proxy,
 * webhooks, CSV uploads): at most `limit` bytes, refused from a larger Content-Length before
 * reading, or while streaming without trusting it. `onChunk` sees each chunk as it arrives (a
 * webhook's HMAC is computed on the way in).
 *
 * Past the limit reading stops and the stream is released, not cancelled: cancelling destroys
 * the socket, and the reset often reaches the client before the 413 does. The HTTP server
 * drains what is left after the answer, within bounds, then cuts the connection
 * (ingest/unread-body.ts), so nothing past the limit is ever kept.
 */
export async function readCappedBody(request: Request, limit: number, onChunk?: (chunk: Uint8Array) => void): Promise<CappedBody> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) return { type: "too_large", limit };
  if (!request.body) return { type: "ok", bytes: new Uint8Array(0) };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      reader.releaseLock();
      return { type: "too_large", limit };
    }
    onChunk?.(value);
    chunks.push(value);
  }
  return { type: "ok", bytes: concat(chunks, total) };
}

function concat(chunks: Uint8Array[], total: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
