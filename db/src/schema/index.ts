// Every table, one file per area. Add a file here when an area gets its own tables,
// then run `npm run db:generate` to write the SQL migration.
export * from "./shopify-session.ts";
export * from "./shops.ts";
export * from "./webhooks.ts";
export * from "./campaigns.ts";
export * from "./catalog.ts";
export * from "./profiles.ts";
export * from "./compliance.ts";
export * from "./admin-sessions.ts";
export * from "./revenue.ts";
export * from "./designs.ts";
export * from "./event-inbox.ts";
