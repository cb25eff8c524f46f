import { isIP } from "node:net";

/**
 * TRUST_PROXY: which hops in front of Cartback may say who the client is (X-Forwarded-For,
 * -Proto, -Host). Unset means none: the client is the TCP peer, since any client can send those
 * headers. Otherwise a hop count ("1": one proxy whose address is the peer) or a
 * comma-separated list of proxy addresses, subnets or Express's names ("loopback",
 * "linklocal", "uniquelocal"). "true" (trust every hop) is refused: it lets a client choose
 * its own address, which is how the login throttle was bypassed.
 * The value is what Express's `trust proxy` setting takes.
 */
export type TrustProxy = false | number | string[];

const NAMES = new Set(["loopback", "linklocal", "uniquelocal"]);

function isSubnet(entry: string): boolean {
  const [address = "", bits, extra] = entry.split("/");
  if (extra !== undefined || !isIP(address)) return false;
  if (bits === undefined) return true;
  const max = isIP(address) === 4 ? 32 : 128;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= max;
}

/** The parsed setting, or an error message naming what is expected. */
export function parseTrustProxy(value: string | undefined): { type: "ok"; value: TrustProxy } | { type: "invalid"; expected: string } {
  const trimmed = value?.trim() ?? "";
  if (trimmed === "" || trimmed === "false" || trimmed === "0") return { type: "ok", value: false };
  if (/^\d{1,2}$/.test(trimmed)) return { type: "ok", value: Number(trimmed) };
  const entries = trimmed.split(",").map((entry) => entry.trim().toLowerCase());
  if (entries.every((entry) => NAMES.has(entry) || isSubnet(entry))) return { type: "ok", value: entries };
  return {
    type: "invalid",
    expected: 'a hop count like "1", or proxy addresses/subnets or "loopback", "linklocal", "uniquelocal" separated by commas ("true" is not allowed: it lets any client choose its address)',
  };
}
