import type { Db } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { expect, it } from "vitest";
import { composePreview } from "../campaigns/preview.ts";
import { ensureDefaultCampaign, updateCampaign } from "../campaigns/repository.ts";
import { installShop } from "../ingest/testing.ts";
import { createTestRuntime } from "../testing.ts";
import { SAMPLE_DISCOUNT_CODE } from "./plan.ts";

describeEachDatabase("preview of a step with a discount", (database) => {
  it("shows the sample code and the discount's description where the email's own code goes; nothing without a discount", async () => {
    const runtime = createTestRuntime(database());
    const db = database().db as Db;
    const shop = randomShop("prev");
    await installShop(database(), shop);
    const campaign = await ensureDefaultCampaign(db, shop);
    const plain = await composePreview(runtime, { shop, campaignId: campaign.id, step: 0 });
    expect(plain.type === "ok" && plain.message.html).not.toContain(SAMPLE_DISCOUNT_CODE);
    const saved = await updateCampaign(db, shop, campaign.id, { steps: [{ delayMs: campaign.steps[0]!.delayMs, discount: { kind: "percentage", percent: 15 } }] });
    expect(saved.type).toBe("ok");
    const preview = await composePreview(runtime, { shop, campaignId: campaign.id, step: 0 });
    expect(preview.type === "ok" && preview.message.html).toContain(`15% off with code <strong>${SAMPLE_DISCOUNT_CODE}</strong>`);
  });
});
