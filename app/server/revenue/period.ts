import type { Db } from "@cartback/db";
import { sql } from "drizzle-orm";
import { addDays, dayStartSql, localDay } from "./day-counts.ts";

/**
 * The instants the report's period spans: from the start of the first of the last `days`
 * calendar days in the shop's zone to the end of today there. PostgreSQL's zone rules cut the
 * days, as they do for the report's day counts, so both agree across DST changes.
 */
export async function reportPeriod(db: Db, zone: string, options: { days: number; now: Date }): Promise<{ from: Date; to: Date }> {
  const today = localDay(options.now, zone);
  const result = await db.execute(sql`select ${dayStartSql(addDays(today, -(options.days - 1)), zone)} as "from", ${dayStartSql(addDays(today, 1), zone)} as "to"`);
  const [row] = ((result as { rows?: unknown[] }).rows ?? (result as unknown[])) as { from: Date | string; to: Date | string }[];
  return { from: new Date(row!.from), to: new Date(row!.to) };
}
