import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { starterDocument } from "@cartback/email-blocks";
import { expect, it } from "vitest";
import { signIn } from "../server/admin-auth/session.ts";
import { ensureDefaultCampaign, getCampaign } from "../server/campaigns/repository.ts";
import { createTestRuntime, routeArgs } from "../server/testing.ts";
import { action, loader } from "./app.campaigns_.$id.$step.design.tsx";

describeEachDatabase("email designer route", (database) => {
  async function signedIn() {
    const shop = randomShop("dsg");
    const runtime = createTestRuntime(database(), { SHOPIFY_SHOP: shop, SHOPIFY_ADMIN_TOKEN: "shpat_test", SHOPIFY_API_SECRET: "secret" });
    const login = await signIn(runtime, new Request("http://localhost/auth/login"));
    const cookie = login.headers.get("Set-Cookie")!.split(";")[0]!;
    const campaign = await ensureDefaultCampaign(database().db, shop);
    return { shop, runtime, cookie, campaign, url: `http://localhost/app/campaigns/${campaign.id}/1/design` };
  }
  type Session = Awaited<ReturnType<typeof signedIn>>;
  const post = (s: Session, fields: Record<string, string>, step = "1") =>
    action(routeArgs(s.runtime, new Request(s.url, { method: "POST", headers: { Cookie: s.cookie, "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields) }), { id: s.campaign.id, step }) as never) as Promise<Response>;
  const errorOf = async (response: Response) => ((await response.json()) as { error: { field: string; message: string } }).error;

  it("saves a posted design, previews it with the sample cart, and the loader opens it in blocks mode", async () => {
    const s = await signedIn();
    const document = JSON.stringify(starterDocument("discount"));
    expect((await post(s, { intent: "save", document })).status).toBe(200);
    expect((await getCampaign(database().db, s.shop, s.campaign.id))!.steps[0]!.template!.html).toContain("WELCOME10");
    const preview = await post(s, { intent: "preview", document });
    expect(preview.status).toBe(200);
    expect(((await preview.json()) as { preview: { html: string } }).preview.html).toContain("Sample");
    const page = (await loader(routeArgs(s.runtime, new Request(s.url, { headers: { Cookie: s.cookie } }), { id: s.campaign.id, step: "1" }) as never)) as Response;
    expect(await page.json()).toMatchObject({ mode: "blocks", document: starterDocument("discount") });
  });

  it("answers bad input with a 4xx naming the field and saves nothing", async () => {
    const s = await signedIn();
    const doc = starterDocument("minimal");
    const badUrl = await post(s, { intent: "save", document: JSON.stringify({ ...doc, blocks: [{ ...doc.blocks[0], id: "h", type: "image", src: "javascript:alert(1)", alt: "", href: null, width: 100 }] }) });
    expect(badUrl.status).toBe(400);
    expect((await errorOf(badUrl)).field).toBe("document.blocks.0.src");
    const narrowLogo = await post(s, { intent: "save", document: JSON.stringify({ ...doc, blocks: [{ ...doc.blocks[0], logoWidth: -50 }, ...doc.blocks.slice(1)] }) });
    expect(narrowLogo.status).toBe(400);
    expect(await errorOf(narrowLogo)).toMatchObject({ field: "document.blocks.0.logoWidth", message: "Logo width: at least 40 pixels (Header / logo, block 1)" });
    const noSubject = await post(s, { intent: "preview", document: JSON.stringify({ ...doc, subject: "" }) });
    expect(noSubject.status).toBe(400);
    expect(await errorOf(noSubject)).toMatchObject({ field: "document.subject", message: "Subject: required" });
    const notJson = await post(s, { intent: "save", document: "{" });
    expect((await errorOf(notJson)).field).toBe("document");
    const fancy = await post(s, { intent: "start", starter: "fancy" });
    expect(fancy.status).toBe(400);
    expect(await errorOf(fancy)).toMatchObject({ field: "starter", message: "Starter design: choose one of Minimal, Image-led, With discount" });
    expect((await post(s, { intent: "dance" })).status).toBe(400);
    expect((await post(s, { intent: "save", document: JSON.stringify(doc) }, "7")).status).toBe(404);
    expect((await post(s, { intent: "test", document: JSON.stringify(doc), to: "not-an-address" })).status).toBe(400);
    expect((await getCampaign(database().db, s.shop, s.campaign.id))!.steps[0]!.template).toBeNull();
  });
});
