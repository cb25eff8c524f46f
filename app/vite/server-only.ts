import path from "node:path";
import type { Plugin } from "vite";

/**
 * Fails the browser build when it pulls in server code. Remix strips loaders and actions from
 * the client bundle, but a component that imports a helper from app/server/ (or a route that
 * keeps using a server import outside its loader) drags that module, and everything it imports,
 * into the JavaScript every admin downloads: database clients, mail transports, secrets' readers.
 * Remix's own guard covers `*.server.ts` names; Cartback keeps server code under app/server/, so
 * this guard names the folder and the server-only packages instead. Code both sides need lives in
 * app/shared/ or packages/core.
 */
export const SERVER_ONLY_PACKAGES = ["@cartback/db", "pg", "@electric-sql/pglite", "nodemailer", "pino"] as const;

export interface ServerOnlyOptions {
  /** The folder whose modules never reach the browser (app/server). */
  serverDir: string;
  packages?: readonly string[];
  /** "warn" lists every such import and lets the build finish (to survey a tree); default "error". */
  report?: "error" | "warn";
}

function packageOf(specifier: string): string | null {
  if (specifier.startsWith(".") || specifier.startsWith("/") || specifier.startsWith("\0")) return null;
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

export function serverOnlyGuard(options: ServerOnlyOptions): Plugin {
  const serverDir = path.resolve(options.serverDir) + path.sep;
  const packages = new Set(options.packages ?? SERVER_ONLY_PACKAGES);
  const shown = (file: string) => path.relative(process.cwd(), file) || file;
  return {
    name: "cartback:server-only",
    enforce: "pre",
    async resolveId(source, importer, resolveOptions) {
      if (resolveOptions?.ssr || !importer) return null;
      const pkg = packageOf(source);
      const resolved = pkg === null ? await this.resolve(source, importer, { ...resolveOptions, skipSelf: true }) : null;
      const file = resolved?.id.split("?")[0];
      const server = (pkg !== null && packages.has(pkg)) || file?.startsWith(serverDir) === true;
      if (!server) return null;
      (options.report === "warn" ? this.warn : this.error).call(
        this,
        `server-only code in the browser bundle: ${shown(importer.split("?")[0]!)} imports "${source}"` +
          `${file ? ` (${shown(file)})` : ""}, which runs on the server only. Use it in a loader or action, ` +
          "or move what the page needs to app/shared/ or packages/core.",
      );
    },
  };
}
