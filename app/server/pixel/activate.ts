import type { Runtime } from "../runtime.ts";
import { ensurePixelKey } from "../shops/keys.ts";
import { adminClientFor } from "../shopify/admin-runtime.ts";
import { userErrorsOf, type UserError } from "../shopify/admin-client.ts";

const CREATE = `mutation cartbackPixelCreate($webPixel: WebPixelInput!) {
  webPixelCreate(webPixel: $webPixel) { webPixel { id settings } userErrors { field message code } }
}`;
const CURRENT = "query cartbackPixel { webPixel { id settings } }";
const UPDATE = `mutation cartbackPixelUpdate($id: ID!, $webPixel: WebPixelInput!) {
  webPixelUpdate(id: $id, webPixel: $webPixel) { webPixel { id settings } userErrors { field message code } }
}`;

interface PixelPayload {
  webPixel: { id: string; settings: string } | null;
  userErrors?: UserError[];
}

export type ActivationResult =
  | { type: "created"; id: string }
  | { type: "updated"; id: string }
  | { type: "failed"; reason: string };

/**
 * Turns on the web pixel extension for a shop with its settings (where to post, and the shop's
 * pixel key). Idempotent: a shop that already has the pixel gets its settings updated, so
 * reinstalling or moving the app to a new URL repairs it.
 */
export async function activateWebPixel(runtime: Runtime, shop: string): Promise<ActivationResult> {
  const pixelKey = await ensurePixelKey(runtime.database.db, shop);
  const webPixel = { settings: JSON.stringify({ collectorUrl: `${runtime.config.appUrl}/collect`, pixelKey }) };
  const admin = adminClientFor(runtime);
  const created = await admin.request<{ webPixelCreate: PixelPayload }>(shop, CREATE, { webPixel });
  if (created.type !== "ok") return { type: "failed", reason: describe(created) };
  const payload = created.data.webPixelCreate;
  if (payload.webPixel) return { type: "created", id: payload.webPixel.id };
  const errors = userErrorsOf(payload);
  if (!errors.some((error) => error.code === "TAKEN")) {
    return { type: "failed", reason: errors.map((error) => error.message).join("; ") || "webPixelCreate returned no pixel" };
  }
  const current = await admin.request<{ webPixel: { id: string } | null }>(shop, CURRENT);
  if (current.type !== "ok" || !current.data.webPixel) {
    return { type: "failed", reason: current.type === "ok" ? "the existing pixel could not be read" : describe(current) };
  }
  const updated = await admin.request<{ webPixelUpdate: PixelPayload }>(shop, UPDATE, { id: current.data.webPixel.id, webPixel });
  if (updated.type !== "ok") return { type: "failed", reason: describe(updated) };
  const result = updated.data.webPixelUpdate;
  if (!result.webPixel) return { type: "failed", reason: userErrorsOf(result).map((e) => e.message).join("; ") };
  return { type: "updated", id: result.webPixel.id };
}

function describe(result: { type: string } & Record<string, unknown>): string {
  switch (result.type) {
    case "not_installed":
    case "http_error":
      return String(result.reason ?? result.message ?? result.type);
    case "graphql_errors":
      return (result.errors as { message: string }[]).map((e) => e.message).join("; ");
    case "throttled":
      return "Shopify kept throttling the request";
    default:
      return result.type;
  }
}
