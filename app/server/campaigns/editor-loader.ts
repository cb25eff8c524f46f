import type { AppLoadContext } from "@remix-run/node";
import type { Db } from "@cartback/db";
import { missingOptionalScopes } from "../../shopify.server";
import type { DiscountState } from "../../components/campaigns/CampaignEditor.tsx";
import { lastDiscountFailures } from "../discounts/discount-form.ts";

export const NO_DISCOUNTS: DiscountState = { scopeMissing: false, failures: {} };

/**
 * What a campaign editor shows beside the campaign (list page and /app/campaigns/<id>): whether
 * write_discounts is still to be granted (embedded), and each campaign's last code not attached.
 */
export async function editorDiscounts(request: Request, context: AppLoadContext, admin: { type: string; shop: string }): Promise<DiscountState> {
  const scopeMissing = admin.type === "embedded" && (await missingOptionalScopes(request, context)).includes("write_discounts");
  return { scopeMissing, failures: await lastDiscountFailures(context.runtime.database.db as Db, admin.shop, new Date()) };
}
