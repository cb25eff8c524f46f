import { schema } from "@cartback/db";
import { getTableColumns, getTableName, is } from "drizzle-orm";
import { PgTable, type PgColumn } from "drizzle-orm/pg-core";

/**
 * Every table that holds shop data, found from the schema itself so that a table added later
 * is covered by shop/redact and customer redaction without anyone remembering to list it.
 */
export interface ShopTable {
  name: string;
  table: PgTable;
  shop: PgColumn;
  profileId: PgColumn | null;
}

export const SHOP_TABLES: ShopTable[] = (Object.values(schema) as unknown[])
  .filter((value): value is PgTable => is(value, PgTable))
  .flatMap((table) => {
    const columns = getTableColumns(table) as Record<string, PgColumn>;
    if (!columns.shop) return [];
    return [{ name: getTableName(table), table, shop: columns.shop, profileId: columns.profileId ?? null }];
  });
