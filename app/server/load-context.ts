import type { Runtime } from "./runtime.ts";

declare module "@remix-run/node" {
  interface AppLoadContext {
    runtime: Runtime;
  }
}

export type { Runtime };
