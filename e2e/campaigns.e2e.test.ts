import { randomUUID } from "node:crypto";
import { availableDatabases } from "@cartback/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type E2eShop, postEvents, profileText, sleep, startE2eShop, waitForMailTo } from "./support/shop.ts";

// Several campaigns per shop (issue 16), as a merchant runs them: the Campaigns list and each
// campaign's page over HTTP, and what shoppers receive. The default campaign is due 3 s after the
// last cart change; the second campaign the merchant creates, 2 s.
const SETTLE_MS = 8_000;

interface ListedCampaign {
  id: string;
  name: string;
  status: "Live" | "Paused" | "?";
  cells: string[];
}

/** The Campaigns list's rows as the page renders them. */
function listed(html: string): ListedCampaign[] {
  return html.split(/<tr[\s>]/).slice(1).flatMap((tr) => {
    const link = /href="\/app\/campaigns\/([0-9a-f-]{36})"[^>]*>([^<]+)<\/a>/.exec(tr);
    if (!link) return [];
    const cells = [...tr.matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim());
    const status = />Live</.test(tr) ? "Live" : />Paused</.test(tr) ? "Paused" : "?";
    return [{ id: link[1]!, name: link[2]!, status, cells }];
  });
}

/** The value a text input of the page's form holds, as the server rendered it. */
function inputValue(html: string, name: string): string | undefined {
  const input = new RegExp(`<input[^>]*\\sname="${name}"[^>]*>`).exec(html)?.[0];
  return input ? /\svalue="([^"]*)"/.exec(input)?.[1] : undefined;
}

describe.each(availableDatabases())("several campaigns on %s", (database) => {
  let shop: E2eShop;
  let second = "";
  beforeAll(async () => {
    shop = await startE2eShop({ database, campaign: { steps: "3s", consent: "any_known" } });
  });
  afterAll(() => shop?.stop());

  const list = async () => {
    const page = await shop.merchant.get("/app/campaigns");
    expect(page.status).toBe(200);
    return listed(page.html);
  };
  const post = (path: string, fields: Record<string, string>) => shop.merchant.submit(path, fields);
  const locationOf = async (fields: Record<string, string>, path = "/app/campaigns") => {
    const response = await fetchManual(path, fields);
    expect(response.status, await response.clone().text().then((t) => t.slice(0, 300))).toBe(302);
    return response.headers.get("location") ?? "";
  };
  /** The merchant's session, keeping the redirect's Location (submit() reads only the body). */
  const fetchManual = async (path: string, fields: Record<string, string>) => {
    const login = await fetch(`${shop.app.url}/auth/login`, { method: "POST", body: new URLSearchParams({ password: shop.app.adminPassword, next: "/app" }), redirect: "manual" });
    const cookie = login.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    return fetch(`${shop.app.url}${path}`, { method: "POST", headers: { cookie }, body: new URLSearchParams(fields), redirect: "manual" });
  };
  const shopper = () => ({ clientId: `c-${randomUUID()}`, email: `multi.${randomUUID().slice(0, 8)}@example.com` });
  const abandon = async (who: { clientId: string; email: string }) => {
    const [variant] = shop.variants;
    const at = new Date().toISOString();
    await postEvents(shop, [
      { id: randomUUID(), name: "Added to Cart", occurredAt: at, clientId: who.clientId, variantId: variant!.id, quantity: 1, price: variant!.price, currency: "USD" },
      { id: randomUUID(), name: "Identify", occurredAt: at, clientId: who.clientId, email: who.email, marketingConsent: "subscribed", via: "form" },
    ]);
  };

  it("creates a second campaign, duplicates, pauses, resumes and deletes; each change is read back from a fresh page", async () => {
    const [first] = await list();
    expect(first).toMatchObject({ name: "Abandoned cart", status: "Live" });

    const blank = await post("/app/campaigns", { intent: "create", name: "  " });
    expect(blank.status).toBe(400);
    expect(blank.html).toContain("Name is required");

    const created = await locationOf({ intent: "create", name: "Weekend" });
    second = /^\/app\/campaigns\/([0-9a-f-]{36})$/.exec(created)?.[1] ?? "";
    expect(second, created).not.toBe("");
    const again = await post("/app/campaigns", { intent: "create", name: "weekend" });
    expect(again.status).toBe(400);
    expect(again.html).toContain("Name: another campaign is already named");
    expect((await list()).map((c) => c.name)).toEqual(["Abandoned cart", "Weekend"]);
    const editor = await shop.merchant.get(created);
    expect(editor.status).toBe(200);
    expect(editor.html).toContain(`/app/campaigns/${second}/1/design`);
    // The step's designer is its own page, not the editor again.
    const designer = await shop.merchant.get(`${created}/1/design`);
    expect(designer.status).toBe(200);
    expect(designer.html).toContain("Start from a design");
    expect(designer.html).not.toContain("Steps (delay after the last cart change)");
    // The editor is an index route: its own forms post to ?index (or to the list, which takes the same intents).
    const saved = await post(`${created}?index`, {
      intent: "settings", id: second, active: "off", steps: "2s", consent: "any_known", catalog: "shopify-catalog", property: "shopify_cart_ids", alias: "Samplecatalog1", cap: "", quiet: "",
    });
    expect(saved.status).toBe(200);
    expect((await list()).map((c) => [c.name, c.status, c.cells[2]])).toEqual([["Abandoned cart", "Live", "3s"], ["Weekend", "Paused", "2s"]]);

    expect((await post(`${created}?index`, { intent: "resume", id: second })).status).toBe(200);
    expect((await list()).find((c) => c.id === second)?.status).toBe("Live");

    const copyPath = await locationOf({ intent: "duplicate", id: second });
    const copy = copyPath.split("/").pop()!;
    expect((await list()).find((c) => c.id === copy)).toMatchObject({ name: "Weekend (copy)", status: "Paused", cells: ["Weekend (copy)", "Paused", "2s", "0", expect.any(String)] });

    const copy2Path = await locationOf({ intent: "duplicate", id: second });
    expect((await list()).find((c) => c.id === copy2Path.split("/").pop())?.name).toBe("Weekend (copy 2)");
    await locationOf({ intent: "delete", id: copy2Path.split("/").pop()!, confirm: "delete" });

    const unconfirmed = await post("/app/campaigns", { intent: "delete", id: copy });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.html).toContain("confirm");
    expect(await locationOf({ intent: "delete", id: copy, confirm: "delete" }, `${copyPath}?index`)).toBe(`/app/campaigns?deleted=${encodeURIComponent("Weekend (copy)")}`);
    expect((await list()).map((c) => c.name)).toEqual(["Abandoned cart", "Weekend"]);
    expect((await shop.merchant.get(copyPath)).status).toBe(404);
    expect((await post("/app/campaigns", { intent: "pause", id: copy })).status).toBe(404);
  });

  it("one abandoned cart with two active campaigns: exactly one email, and the other campaign's skip says why", async () => {
    expect((await list()).map((c) => c.status)).toEqual(["Live", "Live"]);
    const who = shopper();
    await abandon(who);
    await waitForMailTo(shop, who.email);
    await sleep(SETTLE_MS);
    expect(shop.app.mail.to(who.email)).toHaveLength(1);
    expect(await profileText(shop, who.email)).toContain("cross_campaign_cap");
    // The list counts the email for the campaign that sent it, none for the other.
    await expect.poll(async () => (await list()).map((c) => Number(c.cells[3])).reduce((a, b) => a + b), { timeout: 10_000 }).toBe(1);
  });

  it("pausing stops new episodes: no email while both are paused, one again after a resume", async () => {
    const ids = (await list()).map((c) => c.id);
    for (const id of ids) expect((await post("/app/campaigns", { intent: "pause", id })).status).toBe(200);
    expect((await list()).map((c) => c.status)).toEqual(["Paused", "Paused"]);
    const quiet = shopper();
    await abandon(quiet);
    await sleep(SETTLE_MS);
    expect(shop.app.mail.to(quiet.email)).toHaveLength(0);
    expect(await profileText(shop, quiet.email)).not.toContain("Step 1");

    expect((await post(`/app/campaigns/${second}?index`, { intent: "resume", id: second })).status).toBe(200);
    const heard = shopper();
    await abandon(heard);
    await waitForMailTo(shop, heard.email);
    await sleep(SETTLE_MS);
    expect(shop.app.mail.to(heard.email)).toHaveLength(1);
    // The shopper abandoned while everything was paused gets nothing later either.
    expect(shop.app.mail.to(quiet.email)).toHaveLength(0);
  });

  it("a catalog the shop does not have is refused under the Catalog field and nothing of that save is stored", async () => {
    const [first] = await list();
    const path = `/app/campaigns/${first!.id}`;
    const before = await shop.merchant.get(path);
    expect([inputValue(before.html, "catalog"), inputValue(before.html, "steps")]).toEqual(["shopify-catalog", "3s"]);
    const refused = await post(`${path}?index`, {
      intent: "settings", id: first!.id, active: "on", steps: "5s", consent: "any_known", catalog: "no-such-catalog", property: "shopify_cart_ids", alias: "Samplecatalog1", cap: "", quiet: "",
    });
    expect(refused.status).toBe(400);
    expect(refused.html).toContain("Catalog: no catalog is named &quot;no-such-catalog&quot;; this shop&#x27;s catalogs: shopify-catalog");
    const after = await shop.merchant.get(path);
    expect([inputValue(after.html, "catalog"), inputValue(after.html, "steps")]).toEqual(["shopify-catalog", "3s"]);
  });
});
