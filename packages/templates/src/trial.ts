import type { CompiledTemplate } from "./compile.ts";
import { ENGINE_LIMITS } from "./engine.ts";
import type { CatalogMapping, RenderInput } from "./input.ts";
import { type RenderResult, renderEmail } from "./render.ts";
import { sampleRenderInput } from "./sample.ts";

export const TRIAL_CART_ITEMS = 50;

/**
 * The renders a template must pass before it is saved: the sample cart and a 50-item cart,
 * within the same limits as a preview (the engine's). A template that only fails when it
 * meets a big cart is refused now, with the merchant at the editor, not at 3 a.m. for every
 * send. Wall-clock limits, so not the 50 ms send budget: a busy server would refuse the
 * default template (seen under load); the send path defers a render that runs out of it.
 */
export function trialRender(compiled: CompiledTemplate, mapping?: CatalogMapping): Exclude<RenderResult, { type: "ok" }> | null {
  for (const input of [sampleRenderInput(), bigCart(TRIAL_CART_ITEMS)]) {
    const result = renderEmail(compiled, mapping ? { ...input, mapping } : input, { budgetMs: ENGINE_LIMITS.renderLimit });
    if (result.type !== "ok") return result;
  }
  return null;
}

/** The sample cart's rows repeated under distinct variant ids, `count` lines. */
function bigCart(count: number): RenderInput {
  const base = sampleRenderInput();
  const rows = Array.from({ length: count }, (_, i) => {
    const row = base.catalogRows[i % base.catalogRows.length]!;
    return { ...row, Identity: String(41_000_000_000_000 + i), Name: `${row.Name} ${i + 1}` };
  });
  const lines = rows.map((row) => ({ variantId: row.Identity, quantity: 1, unitPrice: 2500, currency: base.shop.currency }));
  return { ...base, profile: { ...base.profile, shopify_cart_ids: rows.map((r) => r.Identity) }, catalogRows: rows, lines };
}
