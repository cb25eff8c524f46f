export { type RunningStorefront, type StorefrontOptions, startStorefront } from "./server.ts";
export { proxySignature } from "./proxy.ts";
export { loadCatalog } from "./catalog.ts";
