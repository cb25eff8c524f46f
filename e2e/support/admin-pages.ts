/** The admin's navigation (app/routes/app.tsx), label and path, in menu order: every admin e2e walks it. */
export const ADMIN_PAGES = [
  ["Dashboard", "/app"],
  ["Results", "/app/results"],
  ["Settings", "/app/settings"],
  ["Campaigns", "/app/campaigns"],
  ["Catalog", "/app/catalog"],
  ["Profiles", "/app/profiles"],
  ["Outbox", "/app/outbox"],
] as const;
