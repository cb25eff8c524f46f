import { campaignStepDesigns, type Db } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { starterDocument } from "@cartback/email-blocks";
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { convertToHtml, loadStepDesign, saveStepDesign, startFromStarter } from "./designs.ts";
import { ensureDefaultCampaign, getCampaign, updateCampaign } from "./repository.ts";

describeEachDatabase("email designer storage", (database) => {
  const db = () => database().db as Db;
  async function shopWithCampaign() {
    const shop = randomShop("design");
    return { shop, campaign: await ensureDefaultCampaign(db(), shop) };
  }

  it("saves a document with the step's template compiled from it, and loads it back in blocks mode", async () => {
    const { shop, campaign } = await shopWithCampaign();
    const saved = await startFromStarter(db(), shop, campaign.id, 0, "discount");
    expect(saved).toMatchObject({ type: "saved", design: { mode: "blocks" } });
    const step = (await getCampaign(db(), shop, campaign.id))!.steps[0]!;
    expect(step.template?.html).toContain('{% for item in Catalog["shopify-catalog"] %}');
    expect(step.template?.html).toContain("WELCOME10");
    const loaded = await loadStepDesign(db(), shop, campaign.id, 0);
    expect(loaded).toMatchObject({ type: "ok", design: { mode: "blocks", editedByHand: false, document: starterDocument("discount") } });
  });

  it("compiles the cart loop over the campaign's alias", async () => {
    const { shop, campaign } = await shopWithCampaign();
    await updateCampaign(db(), shop, campaign.id, { settings: { catalogMapping: { alias: "Samplecatalog1" } } });
    await startFromStarter(db(), shop, campaign.id, 0, "minimal");
    expect((await getCampaign(db(), shop, campaign.id))!.steps[0]!.template?.html).toContain("{% for item in Catalog.Samplecatalog1 %}");
  });

  it("refuses a bad document or a template that would not save, and changes nothing", async () => {
    const { shop, campaign } = await shopWithCampaign();
    const doc = starterDocument("minimal");
    expect(await saveStepDesign(db(), shop, campaign.id, 0, { ...doc, subject: "" })).toMatchObject({ type: "invalid", field: "document.subject" });
    const broken = { ...doc, blocks: [...doc.blocks, { id: "l", type: "liquid", source: "{% for x in %}" }] };
    expect(await saveStepDesign(db(), shop, campaign.id, 0, broken)).toMatchObject({ type: "invalid", field: "steps.0.template.html" });
    const unmapped = { ...doc, blocks: [{ id: "l", type: "liquid", source: "{% for item in Catalog.Samplecatalog1 %}{{ item.Name }}{% endfor %}" }] };
    expect(await saveStepDesign(db(), shop, campaign.id, 0, unmapped)).toMatchObject({ type: "invalid", field: "steps.0.template.html" });
    expect((await getCampaign(db(), shop, campaign.id))!.steps[0]!.template).toBeNull();
    expect(await db().select().from(campaignStepDesigns).where(eq(campaignStepDesigns.shop, shop))).toEqual([]);
    expect(await saveStepDesign(db(), shop, campaign.id, 3, doc)).toMatchObject({ type: "not_found", field: "step" });
  });

  it("opens a step edited by hand since in HTML mode, and converting to HTML mode keeps the template", async () => {
    const { shop, campaign } = await shopWithCampaign();
    await startFromStarter(db(), shop, campaign.id, 0, "minimal");
    const compiled = (await getCampaign(db(), shop, campaign.id))!.steps[0]!.template!;
    await updateCampaign(db(), shop, campaign.id, { steps: [{ delayMs: campaign.steps[0]!.delayMs, template: { ...compiled, html: compiled.html.replace("</body>", "<p>hand</p></body>") } }] });
    expect(await loadStepDesign(db(), shop, campaign.id, 0)).toMatchObject({ type: "ok", design: { mode: "html", editedByHand: true } });

    await startFromStarter(db(), shop, campaign.id, 0, "image-led");
    const converted = await convertToHtml(db(), shop, campaign.id, 0);
    expect(converted).toMatchObject({ type: "ok", design: { mode: "html", document: null, editedByHand: false } });
    const kept = (await getCampaign(db(), shop, campaign.id))!.steps[0]!.template!;
    expect(kept.html).toContain("Return to your cart");
  });

  it("keeps each shop's designs to itself", async () => {
    const a = await shopWithCampaign();
    const b = await shopWithCampaign();
    await startFromStarter(db(), a.shop, a.campaign.id, 0, "minimal");
    expect(await loadStepDesign(db(), b.shop, a.campaign.id, 0)).toMatchObject({ type: "not_found", field: "id" });
    expect(await convertToHtml(db(), b.shop, a.campaign.id, 0)).toMatchObject({ type: "not_found" });
    expect(await loadStepDesign(db(), a.shop, a.campaign.id, 0)).toMatchObject({ type: "ok", design: { mode: "blocks" } });
  });
});
