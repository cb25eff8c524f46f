import { vitePlugin as remix } from "@remix-run/dev";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import { serverOnlyGuard } from "./vite/server-only.ts";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

// The Remix app directory is this workspace itself: root.tsx and routes/ sit beside
// server/ (shared server code) and shopify.server.ts, as in Shopify's app template.
export default defineConfig({
  plugins: [
    // app/server/ and the database, mail and logging packages never reach the browser bundle.
    serverOnlyGuard({ serverDir: fileURLToPath(new URL("./server", import.meta.url)) }),
    remix({
      appDirectory: ".",
      // CARTBACK_BUILD_DIR: a scratch build (e.g. checking the bundle) that leaves app/build alone.
      buildDirectory: process.env.CARTBACK_BUILD_DIR ?? "build",
      ignoredRouteFiles: ["**/*.test.*"],
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_lazyRouteDiscovery: true,
        v3_singleFetch: true,
      },
    }),
  ],
  build: { assetsInlineLimit: 0, chunkSizeWarningLimit: 2000 },
  ssr: {
    // PGlite finds its wasm next to its own files: keep it (and other native-ish deps) external.
    external: ["@electric-sql/pglite", "pg", "pino", "nodemailer"],
    // Bundled and tree-shaken: Node would load Polaris's CommonJS build whole (every component
    // and icon) at every start, ~0.3 s of the server build's ~1.3 s import (bench:start).
    noExternal: ["@shopify/polaris", "@shopify/polaris-icons", "@shopify/shopify-app-remix", "@shopify/app-bridge-react", /^@dnd-kit\//],
  },
  logLevel: "warn",
});
