import type { MetaDescriptor } from "@remix-run/node";

/** A page's <title>: "Settings · Cartback", so browser tabs and history say where they are. */
export function pageTitle(...parts: string[]): MetaDescriptor[] {
  return [{ title: [...parts, "Cartback"].join(" · ") }];
}
