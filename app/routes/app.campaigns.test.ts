import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { campaignSends } from "@cartback/db";
import { eq } from "drizzle-orm";
import { type SmtpSink, startSmtpSink } from "../server/mail/testing.ts";
import { signIn } from "../server/admin-auth/session.ts";
import { listCampaigns } from "../server/campaigns/repository.ts";
import { createTestRuntime, routeArgs } from "../server/testing.ts";
import { action, loader } from "./app.campaigns.tsx";
import { loader as messageLoader } from "./app.outbox.$id.tsx";
import { loader as outboxLoader } from "./app.outbox._index.tsx";

let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(() => sink.close());

describeEachDatabase("admin campaigns page", (database) => {
  async function signedIn() {
    const shop = randomShop("adm");
    const runtime = createTestRuntime(database(), { SHOPIFY_SHOP: shop, SHOPIFY_ADMIN_TOKEN: "shpat_test", SHOPIFY_API_SECRET: "secret", SMTP_URL: sink.url, MAIL_FROM: "shop@example.com" });
    const login = await signIn(runtime, new Request("http://localhost/auth/login"));
    const cookie = login.headers.get("Set-Cookie")!.split(";")[0]!;
    return { shop, runtime, cookie };
  }
  const form = (cookie: string, fields: Record<string, string>) =>
    new Request("http://localhost/app/campaigns", { method: "POST", headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields) });

  it("shows the default campaign and saves steps, quiet hours and a cap", async () => {
    const s = await signedIn();
    const page = (await loader(routeArgs(s.runtime, new Request("http://localhost/app/campaigns", { headers: { Cookie: s.cookie } })) as never)) as Response;
    const body = (await page.json()) as { campaigns: { id: string }[] };
    expect(body.campaigns).toHaveLength(1);
    const saved = (await action(routeArgs(s.runtime, form(s.cookie, { id: body.campaigns[0]!.id, active: "on", steps: "20m,1d", quiet: "21:00-08:00", cap: "1/12h", "max-age": "3d", cooldown: "0s", "empty-cart": "skip", consent: "marketing" })) as never)) as Response;
    expect(saved.status).toBe(200);
    const [campaign] = await listCampaigns(database().db, s.shop);
    expect(campaign).toMatchObject({ active: true, steps: [{ delayMs: 1_200_000 }, { delayMs: 86_400_000 }], settings: { consent: "marketing", quietHours: { start: "21:00", end: "08:00" }, frequencyCap: { count: 1, windowMs: 43_200_000 } } });
  });

  it("answers a bad value with a 400 naming the field and changes nothing", async () => {
    const s = await signedIn();
    const page = (await loader(routeArgs(s.runtime, new Request("http://localhost/app/campaigns", { headers: { Cookie: s.cookie } })) as never)) as Response;
    const id = ((await page.json()) as { campaigns: { id: string }[] }).campaigns[0]!.id;
    const bad = (await action(routeArgs(s.runtime, form(s.cookie, { id, steps: "24h,15m" })) as never)) as Response;
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { field: string } }).error.field).toBe("steps");
    const badQuiet = (await action(routeArgs(s.runtime, form(s.cookie, { id, quiet: "late" })) as never)) as Response;
    expect(((await badQuiet.json()) as { error: { field: string } }).error.field).toBe("quiet");
    const [campaign] = await listCampaigns(database().db, s.shop);
    expect(campaign!.steps).toEqual([{ delayMs: 900_000, template: null }]);
    const outbox = (await outboxLoader(routeArgs(s.runtime, new Request("http://localhost/app/outbox", { headers: { Cookie: s.cookie } })) as never)) as Response;
    expect(((await outbox.json()) as { rows: unknown[] }).rows).toEqual([]);
  });

  async function firstCampaignId(s: Awaited<ReturnType<typeof signedIn>>) {
    const page = (await loader(routeArgs(s.runtime, new Request("http://localhost/app/campaigns", { headers: { Cookie: s.cookie } })) as never)) as Response;
    return ((await page.json()) as { campaigns: { id: string }[] }).campaigns[0]!.id;
  }

  it("saves a step template and the catalog mapping, and answers a broken template with a 400 naming field, line and column", async () => {
    const s = await signedIn();
    const id = await firstCampaignId(s);
    const seed = `{% for item in Catalog.Samplecatalog1 %}<img src="{{ item.ImageURL | default: 'No Image' }}"> {{ item.Identity }} {{ item.Name }}{% endfor %}`;
    const unmapped = (await action(routeArgs(s.runtime, form(s.cookie, { intent: "template", id, step: "0", subject: "Your cart", preheader: "", html: seed })) as never)) as Response;
    expect(unmapped.status).toBe(400);
    expect(((await unmapped.json()) as { error: { field: string } }).error.field).toBe("steps.0.template.html");
    const mapped = (await action(routeArgs(s.runtime, form(s.cookie, { id, active: "on", steps: "15m,1d", alias: "Samplecatalog1", catalog: "shopify-catalog", property: "shopify_cart_ids" })) as never)) as Response;
    expect(mapped.status).toBe(200);
    const saved = (await action(routeArgs(s.runtime, form(s.cookie, { intent: "template", id, step: "0", subject: "Your cart", preheader: "", html: seed })) as never)) as Response;
    expect(saved.status).toBe(200);
    const bad = (await action(routeArgs(s.runtime, form(s.cookie, { intent: "template", id, step: "1", subject: "Hi", preheader: "", html: "<p>\n{% if cart.empty %}</p>" })) as never)) as Response;
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: unknown }).error).toMatchObject({ field: "steps.1.template.html", line: 2, column: expect.any(Number) });
    const [campaign] = await listCampaigns(database().db, s.shop);
    expect(campaign!.steps).toEqual([{ delayMs: 900_000, template: { subject: "Your cart", preheader: "", html: seed } }, { delayMs: 86_400_000, template: null }]);
    expect(campaign!.settings.catalogMapping).toEqual({ property: "shopify_cart_ids", catalog: "shopify-catalog", alias: "Samplecatalog1" });
    const reset = (await action(routeArgs(s.runtime, form(s.cookie, { intent: "template", id, step: "0", useDefault: "on" })) as never)) as Response;
    expect(reset.status).toBe(200);
    expect((await listCampaigns(database().db, s.shop))[0]!.steps[0]!.template).toBeNull();
  });

  it("previews a step with the sample cart and sends a marked test through SMTP, listed in the Outbox as a test", async () => {
    const s = await signedIn();
    const id = await firstCampaignId(s);
    const preview = (await action(routeArgs(s.runtime, form(s.cookie, { intent: "preview", id, step: "0", profile: "" })) as never)) as Response;
    expect(preview.status).toBe(200);
    const body = (await preview.json()) as { preview: { subject: string; html: string; cart: string } };
    expect(body.preview.cart).toBe("sample");
    expect(body.preview.html).toContain("Sample Hoodie - Large");
    const to = `${s.shop.slice(0, 12)}@example.com`;
    const sent = (await action(routeArgs(s.runtime, form(s.cookie, { intent: "test", id, step: "0", to })) as never)) as Response;
    expect(sent.status).toBe(200);
    const mail = sink.messages.find((m) => JSON.stringify(m.to).includes(to));
    expect(mail?.subject).toMatch(/^\[Test\] /);
    expect(mail?.headers.get("x-cartback-test")).toBe("1");
    // Listed in the Outbox as a test (address masked), and never claimed as a campaign send.
    const rows = await database().db.select().from(campaignSends).where(eq(campaignSends.shop, s.shop));
    expect(rows).toMatchObject([{ status: "test", episodeId: "test", step: 0, nextAttemptAt: null }]);
    const outbox = (await outboxLoader(routeArgs(s.runtime, new Request("http://localhost/app/outbox", { headers: { Cookie: s.cookie } })) as never)) as Response;
    const listed = ((await outbox.json()) as { rows: { id: string; test: boolean; status: string; to: string; subject: string }[] }).rows;
    expect(listed).toMatchObject([{ test: true, status: "sent", to: `${to.slice(0, 1)}***@example.com`, subject: mail?.subject }]);
    const detail = (await messageLoader(routeArgs(s.runtime, new Request(`http://localhost/app/outbox/${listed[0]!.id}`, { headers: { Cookie: s.cookie } }), { id: listed[0]!.id }) as never)) as Response;
    expect(((await detail.json()) as { message: { html: string; test: boolean } }).message).toMatchObject({ test: true, html: expect.stringContaining("Sample Hoodie - Large") });
    const badTo = (await action(routeArgs(s.runtime, form(s.cookie, { intent: "test", id, step: "0", to: "nope" })) as never)) as Response;
    expect(badTo.status).toBe(400);
    expect(((await badTo.json()) as { error: { field: string } }).error.field).toBe("to");
    const noProfile = (await action(routeArgs(s.runtime, form(s.cookie, { intent: "preview", id, step: "0", profile: "ghost@example.com" })) as never)) as Response;
    expect(noProfile.status).toBe(400);
    expect(((await noProfile.json()) as { error: { field: string } }).error.field).toBe("profile");
  });

  it("changes only the settings a save names: a cap alone keeps quiet hours, consent and max age", async () => {
    const s = await signedIn();
    const id = await firstCampaignId(s);
    const save = async (fields: Record<string, string>) => (await action(routeArgs(s.runtime, form(s.cookie, { id, ...fields })) as never)) as Response;
    expect((await save({ quiet: "21:00-08:00", consent: "marketing", "max-age": "3d" })).status).toBe(200);
    expect((await save({ cap: "1/12h" })).status).toBe(200);
    const [campaign] = await listCampaigns(database().db, s.shop);
    expect(campaign!.settings).toMatchObject({ quietHours: { start: "21:00", end: "08:00" }, consent: "marketing", maxAgeMs: 259_200_000, frequencyCap: { count: 1, windowMs: 43_200_000 } });
  });

  it("keeps the campaign active on a save: Active is posted as on/off, an empty value is refused, a missing one changes nothing", async () => {
    const s = await signedIn();
    const id = await firstCampaignId(s);
    const save = async (fields: Record<string, string>) => (await action(routeArgs(s.runtime, form(s.cookie, { id, steps: "15m", ...fields })) as never)) as Response;
    expect((await save({})).status).toBe(200);
    expect((await listCampaigns(database().db, s.shop))[0]!.active).toBe(true);
    expect((await save({ active: "off" })).status).toBe(200);
    expect((await listCampaigns(database().db, s.shop))[0]!.active).toBe(false);
    expect((await save({ active: "on" })).status).toBe(200);
    expect((await listCampaigns(database().db, s.shop))[0]!.active).toBe(true);
    // What a hydrated Polaris Checkbox posts when ticked: never read as "off".
    const empty = await save({ active: "" });
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { error: { field: string; message: string } }).error).toMatchObject({ field: "active", message: "Active must be on or off" });
    expect((await listCampaigns(database().db, s.shop))[0]!.active).toBe(true);
  });

  it("names the field as the page labels it: 'Delay must be at least 1 second', not steps.0.delayMs", async () => {
    const s = await signedIn();
    const id = await firstCampaignId(s);
    const error = async (fields: Record<string, string>) => {
      const response = (await action(routeArgs(s.runtime, form(s.cookie, { id, active: "on", ...fields })) as never)) as Response;
      expect(response.status).toBe(400);
      return ((await response.json()) as { error: { field: string; message: string } }).error;
    };
    expect(await error({ steps: "0s" })).toMatchObject({ field: "steps", message: "Delay must be at least 1 second" });
    expect(await error({ steps: "15m,31d" })).toMatchObject({ field: "steps", message: "Delay of step 2 must be at most 30 days" });
    expect(await error({ steps: "1h,15m" })).toMatchObject({ field: "steps", message: "Each step's delay must be longer than the one before (e.g. 15m,24h)" });
    expect(await error({ steps: "15m", "max-age": "30s" })).toMatchObject({ field: "max-age", message: "Max age of an episode must be at least 1 minute" });
    expect(await error({ steps: "15m", cap: "0/1h" })).toMatchObject({ field: "cap", message: "Frequency cap must be at least 1" });
    expect(await error({ steps: "15m", consent: "everyone" })).toMatchObject({ field: "consent", message: "Consent: choose one of the options" });
    const template = (await action(routeArgs(s.runtime, form(s.cookie, { intent: "template", id, step: "0", useDefault: "off", subject: "", preheader: "", html: "<p>Hi</p>" })) as never)) as Response;
    expect(((await template.json()) as { error: unknown }).error).toMatchObject({ field: "steps.0.template.subject", message: "Subject can't be empty" });
  });

  it("says a test send needs a sender as a setting to fix, not as a template error", async () => {
    const shop = randomShop("snd");
    // No MAIL_FROM, no sender in Settings, no store contact email.
    const runtime = createTestRuntime(database(), { SHOPIFY_SHOP: shop, SHOPIFY_ADMIN_TOKEN: "shpat_test", SHOPIFY_API_SECRET: "secret", SMTP_URL: sink.url, MAIL_FROM: "" });
    const cookie = (await signIn(runtime, new Request("http://localhost/auth/login"))).headers.get("Set-Cookie")!.split(";")[0]!;
    const id = await firstCampaignId({ shop, runtime, cookie });
    const sent = (await action(routeArgs(runtime, form(cookie, { intent: "test", id, step: "0", to: "owner@example.com" })) as never)) as Response;
    expect(sent.status).toBe(400);
    expect(((await sent.json()) as { error: unknown }).error).toMatchObject({ field: "sender", message: expect.stringContaining("Set a sender email") });
    const preview = (await action(routeArgs(runtime, form(cookie, { intent: "preview", id, step: "0" })) as never)) as Response;
    expect(preview.status).toBe(200);
  });
});
