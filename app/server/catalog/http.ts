import { json } from "@remix-run/node";
import { problem } from "../http.ts";
import type { Runtime } from "../runtime.ts";
import { type CsvImportResult, exportCatalogCsv, importCatalogCsv } from "./csv-import.ts";
import { findCatalog } from "./repository.ts";

/** Maps a CSV import to the API's responses: bad rows are listed with their line numbers. */
export function importResponse(result: CsvImportResult) {
  switch (result.type) {
    case "imported":
      return json({ catalog: result.catalog, rows: result.rows });
    case "invalid_name":
      return problem(400, "invalid_catalog_name", result.message, "name");
    case "reserved_name":
      return problem(409, "reserved_catalog", "shopify-catalog is written by Catalog Sync only", "name");
    case "catalog_kind_mismatch":
      return problem(409, "not_a_csv_catalog", "this catalog is not a CSV catalog", "name");
    case "invalid_csv": {
      const first = result.errors[0]!;
      return json(
        {
          error: { code: "invalid_csv", field: `line ${first.line}${first.column ? `, ${first.column}` : ""}`, message: `line ${first.line}: ${first.message}` },
          errors: result.errors,
        },
        { status: 422 },
      );
    }
    default: {
      const unreachable: never = result;
      throw new Error(`unhandled import result ${JSON.stringify(unreachable)}`);
    }
  }
}

export async function importCsvText(runtime: Runtime, shop: string, name: string, text: string) {
  return importResponse(await importCatalogCsv(runtime.database, shop, name, text));
}

/** The catalog as a streamed CSV download, or 404. */
export async function csvDownload(runtime: Runtime, shop: string, name: string): Promise<Response> {
  const catalog = await findCatalog(runtime.database.db, shop, name);
  if (!catalog) return problem(404, "unknown_catalog", `no catalog named ${name}`, "name");
  const pages = exportCatalogCsv(runtime.database.db, shop, name);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await pages.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await pages.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${name}.csv"`,
      "cache-control": "no-store",
    },
  });
}
