import { Drop } from "liquidjs";

/**
 * Shopify's `default`: replaces nil, false, "" and empty lists or hashes — but not 0 and not
 * whitespace — and keeps `false` when `allow_false: true`. liquidjs's own filter treats an
 * empty hash as present, which breaks `{{ product.metafields | default: … }}` style templates.
 */

// liquidjs hands keyword arguments to filters as [name, value] pairs, indistinguishable from a
// two-element list, so only the one keyword `default` knows is recognised.
function isAllowFalse(arg: unknown): arg is ["allow_false", unknown] {
  return Array.isArray(arg) && arg.length === 2 && arg[0] === "allow_false";
}

function plain(value: unknown): unknown {
  return value instanceof Drop && typeof value.valueOf === "function" ? value.valueOf() : value;
}

export function isDefaultable(value: unknown, allowFalse: boolean): boolean {
  const v = plain(value);
  if (v === undefined || v === null) return true;
  if (v === false) return !allowFalse;
  if (typeof v === "string" || Array.isArray(v)) return v.length === 0;
  if (v instanceof Map || v instanceof Set) return v.size === 0;
  if (typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) return Object.keys(v).length === 0;
  return false;
}

export function defaultFilter(value: unknown, ...args: unknown[]): unknown {
  const positional: unknown[] = [];
  let allowFalse = false;
  for (const arg of args) {
    if (isAllowFalse(arg)) {
      allowFalse = plain(arg[1]) === true;
    } else {
      positional.push(arg);
    }
  }
  if (positional.length > 1) throw new Error(`default: expected 1 argument, got ${positional.length}`);
  return isDefaultable(value, allowFalse) ? positional[0] : value;
}
