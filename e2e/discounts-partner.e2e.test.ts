import { availableDatabases } from "@cartback/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchAsAdmin, type PartnerApp, startPartnerApp } from "./support/partner.ts";

// write_discounts is optional: a partner install works without it, and the embedded admin asks
// for it beside a step's discount fields (not on every page). "Grant access" answers with
// Shopify's grant screen for that scope; once granted the notice goes.

const NOTICE = "Cartback may not create discounts yet";

describe.each(availableDatabases())("the discount scope in the embedded admin on %s", (database) => {
  let partner: PartnerApp;
  beforeAll(async () => {
    partner = await startPartnerApp(database);
  });
  afterAll(() => partner?.stop());

  /** A page as the framed admin loads it (session token in the URL, as Shopify opens it). */
  const page = async (path: string) => {
    const response = await fetchAsAdmin(partner, `${path}?embedded=1&shop=${partner.shop}&host=${partner.host}&id_token=${partner.sessionToken()}`, "");
    return { status: response.status, html: await response.text() };
  };
  /** A form the framed admin posts (App Bridge puts the session token in Authorization). */
  const post = (path: string, fields: Record<string, string>) => fetchAsAdmin(partner, path, undefined, { method: "POST", body: new URLSearchParams(fields) });

  it("installs without write_discounts, asks for it beside a step's discount only, and the grant screen names it", async () => {
    const first = await page("/app/campaigns");
    expect(first.status, first.html.slice(0, 300)).toBe(200);
    expect(partner.fake.state.grantedScopes).not.toContain("write_discounts");
    expect(first.html).not.toContain(NOTICE);
    // The global missing-permission notice does not nag about an on-demand scope.
    expect((await page("/app")).html).not.toContain("(write_discounts)");

    const id = /name="id" value="([^"]+)"/.exec(first.html)?.[1];
    const saved = await post("/app/campaigns", { intent: "discount", id: id!, step: "0", "discount-kind": "percentage", "discount-value": "10", "discount-days": "7", "discount-once": "on" });
    expect(saved.status, await saved.clone().text().then((t) => t.slice(0, 300))).toBeLessThan(300);
    expect((await page("/app/campaigns")).html).toContain(NOTICE);

    const grant = await post("/app/scopes", { scope: "write_discounts" });
    expect(grant.status).toBe(401);
    const screen = new URL(grant.headers.get("x-shopify-api-request-failure-reauthorize-url") ?? "http://missing/");
    expect(`${screen.origin}${screen.pathname}`).toBe(`https://${partner.shop}/admin/oauth/install`);
    expect(screen.searchParams.get("optional_scopes")).toBe("write_discounts");

    partner.fake.state.grantedScopes.push("write_discounts");
    expect((await page("/app/campaigns")).html).not.toContain(NOTICE);
  });
});
