// Public surface of @cartback/templates, listed by hand.
export { type CompiledTemplate, type CompileResult, compileTemplate, type TemplateSource } from "./compile.ts";
export { type TemplateRow, templateRow } from "./catalog-item.ts";
export { buildScope, type CartItem, idsOf, joinCatalog, type TemplateScope } from "./context.ts";
export { DEFAULT_HTML, DEFAULT_PREHEADER, DEFAULT_SUBJECT, DEFAULT_TEMPLATE } from "./default-template.ts";
export { ENGINE_LIMITS, SEND_RENDER_BUDGET_MS } from "./engine.ts";
export type { LimitExceeded, LimitName, TemplateField, TemplateRenderError, TemplateSyntaxError } from "./errors.ts";
export { applyMoneyFormat } from "./filters/money.ts";
export { CartLine, CatalogMapping, ProfileValue, RenderInput, type RenderInputDraft, ShopInfo } from "./input.ts";
export { previewEmail, type PreviewResult } from "./preview.ts";
export { buildRecoveryUrl, RecoveryUrlInput, type RecoveryUrlResult } from "./recovery-url.ts";
export { type InvalidInput, parseRenderInput, type RenderedEmail, type RenderOptions, type RenderResult, renderEmail } from "./render.ts";
export { sampleRenderInput, type SampleOptions } from "./sample.ts";
export { TRIAL_CART_ITEMS, trialRender } from "./trial.ts";
