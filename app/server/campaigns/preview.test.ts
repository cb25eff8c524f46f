import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { testProfile } from "@cartback/core/campaign/testing";
import type { CartActivity } from "@cartback/core/profile/activity";
import { campaignSends, type Db } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { productsFromBulkJsonl } from "@cartback/shopify-fake";
import { starterDocument, STARTERS } from "@cartback/email-blocks";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { importCatalogCsv } from "../catalog/csv-import.ts";
import { searchCatalogRows } from "../catalog/repository.ts";
import { runFullSync } from "../catalog/sync.ts";
import { catalogHarness, SHOPIFY_FIXTURES } from "../catalog/testing.ts";
import { ingest } from "../ingest/service.ts";
import { createSmtpTransport } from "../mail/smtp.ts";
import { type SmtpSink, startSmtpSink } from "../mail/testing.ts";
import type { MailTransport } from "../mail/transport.ts";
import { createTestRuntime } from "../testing.ts";
import { handleCartActivity } from "./activity.ts";
import { defaultDeps } from "./deps.ts";
import { composePreview, sendTestEmail } from "./preview.ts";
import { templateOf } from "./designs.ts";
import { ensureDefaultCampaign, getCampaign, updateCampaign } from "./repository.ts";
import { TestClock, drain, memoryProfiles, testSchedulerContext } from "./testing.ts";

/** The seed campaign's snippet (CleverTap's docs), verbatim. */
const SEED = `{% for item in Catalog.Samplecatalog1 %}<img src="{{ item.ImageURL | default: 'No Image' }}"> {{ item.Identity }} {{ item.Name }}{% endfor %}`;
// Real variants of the captured bulk export: one with an image, one without.
const SMALL = "41007759589582";
const COPY = "41009157243086";
const imageSources = (html: string) => [...html.matchAll(/<img\b[^>]*\bsrc="([^"]*)"/g)].map((m) => m[1]!);
const realBulk = () => ["products", "variants"]
  .map((n) => readFileSync(path.join(SHOPIFY_FIXTURES, `admin-graphql-bulk/gatsby-source-shopify/packages__gatsby-source-shopify____tests____fixtures__bulk-results__${n}.jsonl`), "utf8"))
  .join("\n");

let sink: SmtpSink;
let smtp: MailTransport;
beforeAll(async () => {
  sink = await startSmtpSink();
  smtp = createSmtpTransport({ url: sink.url });
});
afterAll(async () => {
  await smtp.close();
  await sink.close();
});

describeEachDatabase("campaign catalog mapping, preview and test send", (database) => {
  /** A shop whose Shopify catalog was synced from the real bulk export, and a shopper with both variants in the cart. */
  async function syncedShop() {
    const h = await catalogHarness(database(), randomShop("tpl"), { products: productsFromBulkJsonl(realBulk()), lineOrder: "children-first" });
    try {
      expect(await runFullSync(h.deps, h.shop, { sleep: async () => {}, pollIntervalMs: 0 })).toMatchObject({ type: "completed" });
    } finally {
      await h.fake.close();
    }
    const runtime = createTestRuntime(database(), { ...h.env, SMTP_URL: sink.url });
    const email = `${randomUUID().slice(0, 8)}@example.com`;
    const at = new Date().toISOString();
    const outcome = await ingest(runtime, {
      shop: h.shop, source: "api", receivedAt: new Date(),
      items: [
        { id: randomUUID(), name: "Added to Cart", occurredAt: at, clientId: "b1", variantId: SMALL },
        { id: randomUUID(), name: "Added to Cart", occurredAt: at, clientId: "b1", variantId: COPY },
        { id: randomUUID(), name: "Identify", occurredAt: at, clientId: "b1", email },
      ],
    });
    expect(outcome.type).toBe("ok");
    const campaign = await ensureDefaultCampaign(database().db as Db, h.shop);
    return { shop: h.shop, runtime, email, campaign };
  }

  it("renders the seed snippet verbatim from synced rows through a Samplecatalog1 alias", async () => {
    const s = await syncedShop();
    const db = database().db as Db;
    const steps = [{ delayMs: 900_000, template: { subject: "Still thinking, {{ customer.email }}?", preheader: "", html: SEED } }];
    // Unmapped, the seed's loop would run over nothing and mail an empty email: refused at save.
    expect(await updateCampaign(db, s.shop, s.campaign.id, { steps })).toMatchObject({ type: "invalid", field: "steps.0.template.html", message: expect.stringContaining("Catalog.Samplecatalog1 is not mapped") });
    expect(await updateCampaign(db, s.shop, s.campaign.id, { steps, settings: { catalogMapping: { alias: "Samplecatalog1" } } })).toMatchObject({ type: "ok" });
    expect(await updateCampaign(db, s.shop, s.campaign.id, { settings: { catalogMapping: { alias: null } } })).toMatchObject({ type: "invalid", field: "steps.0.template.html" });
    const preview = await composePreview(s.runtime, { shop: s.shop, step: 0, profile: s.email });
    if (preview.type !== "ok") throw new Error(JSON.stringify(preview));
    expect(preview.cart).toBe("profile");
    expect(preview.message.subject).toBe(`Still thinking, ${s.email}?`);
    expect(preview.message.html).toMatch(new RegExp(`<img src="https://[^"]*placeholder_[^"]*"> ${SMALL} Test Product - Small<img src="No Image"> ${COPY} Copy of Test Product - Small`));
    expect((await getCampaign(database().db as Db, s.shop, s.campaign.id))?.settings.catalogMapping).toEqual({ property: "shopify_cart_ids", catalog: "shopify-catalog", alias: "Samplecatalog1" });
  });

  it("previews and test-sends the sample cart with the shop's own products: names, pictures and prices from its catalog", async () => {
    const s = await syncedShop();
    const own = await searchCatalogRows(database().db as Db, s.shop, "shopify-catalog", { limit: 500, offset: 0 });
    const preview = await composePreview(s.runtime, { shop: s.shop, step: 0 });
    if (preview.type !== "ok") throw new Error(JSON.stringify(preview));
    expect(preview.cart).toBe("sample");
    expect(preview.message.html).toContain("Test Product - Small");
    expect(preview.message.html).not.toContain("Sample Hoodie");
    const images = imageSources(preview.message.html);
    expect(images.length).toBeGreaterThan(0);
    // Each picture is one of this shop's rows' (resized by img_url), never anyone else's.
    for (const src of images) expect(own.some((r) => r.ImageURL && src.startsWith(r.ImageURL.replace(/\.\w+(\?.*)?$/, "")))).toBe(true);

    const to = `qa-${randomUUID().slice(0, 6)}@example.com`;
    expect(await sendTestEmail(s.runtime, { shop: s.shop, step: 0 }, to)).toMatchObject({ type: "sent", cart: "sample" });
    const mail = sink.messages.find((m) => JSON.stringify(m.to).includes(to));
    expect(mail?.html).toContain("Test Product - Small");
    for (const src of imageSources(String(mail?.html))) expect(own.some((r) => r.ImageURL && src.startsWith(r.ImageURL.replace(/\.\w+(\?.*)?$/, "")))).toBe(true);

    // Mapped to the merchant's own CSV catalog: its rows, at their price in the shop's currency.
    expect(await importCatalogCsv(database(), s.shop, "gifts", "Identity,Name,ImageURL,Price\n7001,Gift Mug,https://shop.example/mug.png,12.50\n")).toMatchObject({ type: "imported", rows: 1 });
    expect(await updateCampaign(database().db as Db, s.shop, s.campaign.id, { settings: { catalogMapping: { catalog: "gifts" } } })).toMatchObject({ type: "ok" });
    const mapped = await composePreview(s.runtime, { shop: s.shop, step: 0 });
    if (mapped.type !== "ok") throw new Error(JSON.stringify(mapped));
    expect(mapped.message.html).toContain("Gift Mug");
    expect(mapped.message.html).toContain("$25.00"); // 2 × $12.50
    expect(imageSources(mapped.message.html)).toEqual(["https://shop.example/mug.png"]);
  });

  it("gives a shop without catalog rows a sample cart without pictures, in the default template and every designer starter", async () => {
    await syncedShop(); // another shop's catalog: never read for this one
    const shop = randomShop("tpl");
    const runtime = createTestRuntime(database(), { SMTP_URL: sink.url });
    const campaign = await ensureDefaultCampaign(database().db as Db, shop);
    const drafts = [undefined, ...STARTERS.map((name) => templateOf(campaign, starterDocument(name)))];
    for (const draft of drafts) {
      const preview = await composePreview(runtime, { shop, step: 0, ...(draft ? { draft } : {}) });
      if (preview.type !== "ok") throw new Error(JSON.stringify(preview));
      expect(preview.cart).toBe("sample");
      expect(preview.message.html).toContain("Sample Hoodie - Large");
      expect(preview.message.html).not.toContain("Test Product");
      expect(imageSources(preview.message.html)).toEqual([]);
      expect(preview.message.html.match(/No image/g)?.length).toBeGreaterThanOrEqual(3);
    }
    const to = `qa-${randomUUID().slice(0, 6)}@example.com`;
    expect(await sendTestEmail(runtime, { shop, step: 0 }, to)).toMatchObject({ type: "sent", cart: "sample" });
    const mail = sink.messages.find((m) => JSON.stringify(m.to).includes(to));
    expect(mail?.html).toContain("Sample Hoodie - Large");
    expect(imageSources(String(mail?.html))).toEqual([]);
  });

  it("sends from the merchant CSV catalog a campaign is mapped to, through the scheduler", async () => {
    const s = await syncedShop();
    const db = database().db as Db;
    const csv = `Identity,Name,ImageURL,Price\n${SMALL},Gift Mug,https://cdn.example/mug.png,12.50\n${COPY},Gift Tee,,9\n`;
    expect(await importCatalogCsv(database(), s.shop, "gifts", csv)).toMatchObject({ type: "imported", rows: 2 });
    const html = "{% for item in Catalog.gifts %}[{{ item.Name }} {{ item.Price | money }}]{% endfor %}";
    expect(await updateCampaign(db, s.shop, s.campaign.id, { steps: [{ delayMs: 900_000, template: { subject: "Your gifts", preheader: "", html } }], settings: { catalogMapping: { catalog: "gifts" } } })).toMatchObject({ type: "ok" });
    const preview = await composePreview(s.runtime, { shop: s.shop, step: 0, profile: s.email });
    expect(preview.type === "ok" && preview.message.html).toContain("[Gift Mug $12.50][Gift Tee $9.00]");

    // The send path: decide-due loads rows from the mapped catalog, not the Shopify one.
    const clock = new TestClock(new Date("2026-03-02T12:00:00Z"));
    const profileId = randomUUID();
    const email = `${profileId.slice(0, 8)}@example.com`;
    const { profiles, deps } = memoryProfiles();
    const line = { quantity: 1, unitPrice: 1250, currency: "USD", firstAddedAt: clock.now(), lastChangedAt: clock.now() };
    profiles.set(profileId, testProfile({ shop: s.shop, profileId, email, cart: [{ variantId: SMALL, ...line }, { variantId: COPY, ...line }], cartChangedAt: clock.now() }));
    const ctx = testSchedulerContext(database(), { ...deps, loadCatalogRows: defaultDeps().loadCatalogRows }, clock, s.shop);
    await db.transaction((tx) => handleCartActivity(tx as unknown as Db, [{ shop: s.shop, profileId, kind: "cart_changed", at: clock.now(), added: true, lineCount: 2 } as CartActivity]));
    clock.set(new Date(clock.now().getTime() + 15 * 60_000));
    expect(await drain(ctx, smtp)).toBe(1);
    const mail = sink.messages.find((m) => JSON.stringify(m.to).includes(email));
    expect(mail?.html).toContain("[Gift Mug $12.50][Gift Tee $9.00]");
  });

  it("refuses to save a template that renders too slowly for a 50-item cart, and keeps the saved one", async () => {
    const shop = randomShop("tpl");
    const db = database().db as Db;
    const campaign = await ensureDefaultCampaign(db, shop);
    const html = `{% for i in (1..20000) %}{% for item in Catalog["shopify-catalog"] %}{% if item.Name == i %}x{% endif %}{% endfor %}{% endfor %}`;
    const result = await updateCampaign(db, shop, campaign.id, { steps: [{ delayMs: 900_000, template: { subject: "Hi", preheader: "", html } }] });
    expect(result).toMatchObject({ type: "invalid", field: "steps.0.template.html", message: expect.stringContaining("takes too long to render") });
    expect((await getCampaign(db, shop, campaign.id))?.steps[0]?.template).toEqual(campaign.steps[0]?.template);
  });

  it("rejects a template with a syntax error naming the field, line and column, and saves nothing", async () => {
    const shop = randomShop("tpl");
    const db = database().db as Db;
    const campaign = await ensureDefaultCampaign(db, shop);
    const html = "<p>Hi</p>\n<p>{% for item in Catalog.Samplecatalog1 %}{{ item.Name }}</p>";
    const result = await updateCampaign(db, shop, campaign.id, { steps: [{ delayMs: 900_000, template: { subject: "Hi", preheader: "", html } }] });
    expect(result).toMatchObject({ type: "invalid", field: "steps.0.template.html", line: 2, column: expect.any(Number) });
    const bad = await updateCampaign(db, shop, campaign.id, { steps: [{ delayMs: 900_000, template: { subject: "{{ x | nosuchfilter }}", preheader: "", html: "<p>ok</p>" } }] });
    expect(bad).toMatchObject({ type: "invalid", field: "steps.0.template.subject" });
    const hyphenated = await updateCampaign(db, shop, campaign.id, { steps: [{ delayMs: 900_000, template: { subject: "Hi", preheader: "", html: `{% for item in Catalog["shopify-catalog"] %}{{ item.Name }}{% endfor %}{{ Catalog["other"].size }}` } }] });
    expect(hyphenated).toMatchObject({ type: "invalid", field: "steps.0.template.html", message: expect.stringContaining("Catalog.other is not mapped") });
    const badAlias = await updateCampaign(db, shop, campaign.id, { settings: { catalogMapping: { alias: "no spaces" } } });
    expect(badAlias).toMatchObject({ type: "invalid", field: "settings.catalogMapping.alias" });
    // Profiles hold no other id list: a mapping to one would mail a product loop over nothing.
    const badProperty = await updateCampaign(db, shop, campaign.id, { settings: { catalogMapping: { property: "recently_viewed" } } });
    expect(badProperty).toMatchObject({ type: "invalid", field: "settings.catalogMapping.property", message: expect.stringContaining("shopify_cart_ids") });
    expect(await updateCampaign(db, shop, campaign.id, { settings: { catalogMapping: { property: "shopify_cart_ids" } } })).toMatchObject({ type: "ok" });
    expect(await getCampaign(db, shop, campaign.id)).toEqual(campaign);
  });

  it("keeps a step's template when only the delays change, and null restores the default", async () => {
    const shop = randomShop("tpl");
    const db = database().db as Db;
    const campaign = await ensureDefaultCampaign(db, shop);
    const template = { subject: "Back?", preheader: "p", html: "<p>{{ cart.item_count }}</p>" };
    await updateCampaign(db, shop, campaign.id, { steps: [{ delayMs: 900_000, template }] });
    const delays = await updateCampaign(db, shop, campaign.id, { steps: [{ delayMs: 600_000 }, { delayMs: 3_600_000 }] });
    expect(delays.type === "ok" && delays.campaign.steps).toEqual([{ delayMs: 600_000, template }, { delayMs: 3_600_000, template: null }]);
    const reset = await updateCampaign(db, shop, campaign.id, { steps: [{ delayMs: 600_000, template: null }, { delayMs: 3_600_000 }] });
    expect(reset.type === "ok" && reset.campaign.steps.map((st) => st.template)).toEqual([null, null]);
  });

  it("previews and test-sends unsaved edits, checked like a save, and leaves the saved campaign as it was", async () => {
    const s = await syncedShop();
    const db = database().db as Db;
    const html = `{% for item in Catalog["shopify-catalog"] %}<b>{{ item.Name }}</b>{% endfor %}`;
    const draft = await composePreview(s.runtime, { shop: s.shop, step: 0, profile: s.email, draft: { subject: "Draft for {{ customer.email }}", html } });
    if (draft.type !== "ok") throw new Error(JSON.stringify(draft));
    expect(draft.message.subject).toBe(`Draft for ${s.email}`);
    expect(draft.message.html).toContain("<b>Test Product - Small</b><b>Copy of Test Product - Small</b>");
    // A draft's missing fields keep the saved (here the default) template's.
    expect(draft.message.html).not.toContain("{{");
    expect(await getCampaign(db, s.shop, s.campaign.id)).toEqual(s.campaign);

    const to = `qa-${randomUUID().slice(0, 6)}@example.com`;
    expect(await sendTestEmail(s.runtime, { shop: s.shop, step: 0, profile: s.email, draft: { subject: "Draft test", html } }, to)).toMatchObject({ type: "sent" });
    const mail = sink.messages.find((m) => JSON.stringify(m.to).includes(to));
    expect(mail?.subject).toBe("[Test] Draft test");
    expect(mail?.html).toContain("<b>Copy of Test Product - Small</b>");

    // Refused exactly as a save would be: field, line and column; an unmapped catalog; an empty subject.
    expect(await composePreview(s.runtime, { shop: s.shop, step: 0, draft: { html: "<p>\n{% for x in y %}" } })).toMatchObject({ type: "invalid_template", field: "steps.0.template.html", line: 2, column: expect.any(Number) });
    expect(await sendTestEmail(s.runtime, { shop: s.shop, step: 0, draft: { html: "{{ Catalog.other.size }}" } }, to)).toMatchObject({ type: "invalid_template", field: "steps.0.template.html", message: expect.stringContaining("Catalog.other is not mapped") });
    expect(await composePreview(s.runtime, { shop: s.shop, step: 0, draft: { subject: "" } })).toMatchObject({ type: "invalid_template", field: "steps.0.template.subject" });

    // null previews the default template even when a custom one is saved.
    expect(await updateCampaign(db, s.shop, s.campaign.id, { steps: [{ delayMs: 900_000, template: { subject: "Saved subject", preheader: "", html: "<p>saved</p>" } }] })).toMatchObject({ type: "ok" });
    const fallback = await composePreview(s.runtime, { shop: s.shop, step: 0, draft: null });
    expect(fallback.type === "ok" && fallback.message.subject).not.toBe("Saved subject");
    const savedNow = await composePreview(s.runtime, { shop: s.shop, step: 0 });
    expect(savedNow.type === "ok" && savedNow.message.subject).toBe("Saved subject");
    expect((await getCampaign(db, s.shop, s.campaign.id))?.steps[0]?.template?.html).toBe("<p>saved</p>");
  });

  it("test-sends a real profile's cart marked as a test, to a real SMTP server, listed in the Outbox as a test and never as a send", async () => {
    const s = await syncedShop();
    const to = `qa-${randomUUID().slice(0, 6)}@example.com`;
    const result = await sendTestEmail(s.runtime, { shop: s.shop, step: 0, profile: s.email }, to);
    expect(result).toMatchObject({ type: "sent", transport: "smtp", cart: "profile" });
    const mail = sink.messages.find((m) => JSON.stringify(m.to).includes(to));
    expect(mail?.subject).toMatch(/^\[Test\] /);
    expect(mail?.headers.get("x-cartback-test")).toBe("1");
    expect(mail?.html).toContain("Test Product - Small");
    // Listed in the Outbox as a test (issue 12); never a send that caps, the breaker or a worker count.
    const rows = await database().db.select().from(campaignSends).where(eq(campaignSends.shop, s.shop));
    expect(rows.map((r) => [r.status, r.toEmail])).toEqual([["test", to]]);
    expect(await sendTestEmail(s.runtime, { shop: s.shop, step: 3 }, to)).toMatchObject({ type: "not_found", field: "step" });
    expect(await sendTestEmail(s.runtime, { shop: s.shop, step: 0 }, "not-an-address")).toMatchObject({ type: "invalid", field: "to" });
    expect(await sendTestEmail(s.runtime, { shop: s.shop, step: 0 }, `a@${"b".repeat(64)}.com`)).toMatchObject({ type: "invalid", field: "to", message: "Test address must be an email address whose domain parts (between dots) have at most 63 characters each" });
    expect(await sendTestEmail(s.runtime, { shop: s.shop, step: 0, profile: "nobody@example.com" }, to)).toMatchObject({ type: "not_found", field: "profile" });
  });
});
