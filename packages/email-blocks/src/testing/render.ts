import type { CatalogRow } from "@cartback/core/catalog/row";
import { compileTemplate, type RenderInputDraft, renderEmail } from "@cartback/templates";
import { inputFor } from "@cartback/templates/testing/inputs";
import { type CatalogRef, compileDocument } from "../index.ts";
import type { BlockDocument } from "../document.ts";

/** Compiles a document and renders it through the engine the send path uses. */
export function renderDocument(doc: BlockDocument, rows: CatalogRow[], mapping: CatalogRef = { catalog: "shopify-catalog" }, overrides: Partial<RenderInputDraft> = {}) {
  const compiled = compileTemplate(compileDocument(doc, mapping));
  if (compiled.type !== "ok") throw new Error(`${compiled.type}: ${compiled.message}`);
  const input = inputFor(rows, { mapping: { property: "shopify_cart_ids", catalog: "shopify-catalog", ...(mapping.alias ? { alias: mapping.alias } : {}) }, ...overrides });
  const email = renderEmail(compiled.template, input);
  if (email.type !== "ok") throw new Error(`${email.type}: ${email.message}`);
  return { email, input };
}
