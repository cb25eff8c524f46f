import type { IncomingMessage, ServerResponse } from "node:http";

/** How much of a body nobody read is drained after the response, and for how long. */
export const LINGER_BYTES = 8 * 1024 * 1024;
export const LINGER_MS = 5_000;

/**
 * A response sent before its request body was read (a 401, 404, 405 or 413 from any route)
 * leaves the rest of the body on the connection. Node discards it only when nothing had
 * started reading; Remix's request stream has, then pauses at ~64 KB, so the next request on
 * a kept-alive connection was never answered. After such a response the rest is read and
 * dropped (nothing is kept), like a lingering close; past LINGER_BYTES reading stops, and
 * a body not over after LINGER_MS has its connection cut.
 */
export function lingerOnUnreadBody(req: IncomingMessage, res: ServerResponse, limits = { bytes: LINGER_BYTES, ms: LINGER_MS }): void {
  res.once("finish", () => {
    if (req.complete || req.destroyed) return;
    // Whoever was reading has answered: its listeners would only queue what is dropped here.
    for (const listener of req.listeners("data")) req.off("data", listener as (chunk: Buffer) => void);
    let left = limits.bytes;
    const cut = () => req.socket?.destroy();
    const timer = setTimeout(cut, limits.ms);
    timer.unref();
    req.on("data", (chunk: Buffer) => {
      left -= chunk.byteLength;
      // Past the bound, stop reading and leave the cut to the timer: cutting now, with bytes
      // unread, resets the connection and often destroys the answer before the client reads it.
      if (left < 0) req.pause();
    });
    req.once("end", () => clearTimeout(timer));
    req.once("close", () => clearTimeout(timer));
    req.resume();
  });
}
