/**
 * Bounded form bodies for Remix form routes (login, unsubscribe). `request.formData()` reads
 * whatever it is sent, so a 200 MB form is held in memory before the route sees a field; here
 * the stream is counted as it arrives and abandoned at the cap. A body that fails to parse
 * (malformed multipart, an unknown content type) is the client's mistake: a 400, not a 500.
 */
export const FORM_BODY_LIMIT = 64 * 1024;

export type FormBody =
  | { type: "ok"; form: FormData }
  | { type: "too_large"; limit: number }
  | { type: "malformed"; message: string };

export async function readFormBody(request: Request, limit = FORM_BODY_LIMIT): Promise<FormBody> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) {
    if (request.body) discardRest(request.body.getReader());
    return { type: "too_large", limit };
  }
  const bytes = await readCapped(request, limit);
  if (!bytes) return { type: "too_large", limit };
  const copy = new Request(request.url, { method: "POST", headers: request.headers, body: bytes });
  try {
    return { type: "ok", form: await copy.formData() };
  } catch {
    return { type: "malformed", message: "the body is not a valid form (application/x-www-form-urlencoded or multipart/form-data)" };
  }
}

/** The body's bytes, or null once more than `limit` arrived (the rest is never read). */
async function readCapped(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer> | null> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      discardRest(reader);
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** How long, and how much of, the rest of a refused body is read and thrown away before the connection is cut. */
export const DISCARD_FOR_MS = 5_000;
export const DISCARD_MAX_BYTES = 16 * 1024 * 1024;

/**
 * Reads the rest of a refused body and keeps none of it, like a lingering close: closing at
 * once, with bytes unread, makes the kernel send a reset that often destroys the 413 before
 * the client reads it, and a body left unread would stall the next request on a kept-alive
 * connection. A client still sending after DISCARD_FOR_MS or DISCARD_MAX_BYTES is cut off.
 */
function discardRest(reader: ReadableStreamDefaultReader<Uint8Array>): void {
  const deadline = Date.now() + DISCARD_FOR_MS;
  const cut = setTimeout(() => void reader.cancel().catch(() => {}), DISCARD_FOR_MS);
  cut.unref();
  const drain = async () => {
    let discarded = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      discarded += value.byteLength;
      if (discarded > DISCARD_MAX_BYTES || Date.now() > deadline) {
        await reader.cancel();
        return;
      }
    }
  };
  void drain()
    .catch(() => {})
    .finally(() => clearTimeout(cut));
}
