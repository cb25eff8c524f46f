-- A full sync's spill-over is scratch: deleted when the sync ends, rebuilt by the next one if the
-- server crashes. Unlogged, its COPYs write no WAL (drizzle's schema cannot say so: see catalog.ts).
ALTER TABLE "catalog_sync_staging" SET UNLOGGED;
