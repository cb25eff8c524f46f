import { randomUUID } from "node:crypto";
import { campaignSends, revenueClicks } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { signClickLink } from "../server/revenue/links.ts";
import { createTestRuntime, routeArgs } from "../server/testing.ts";
import { loader } from "./r.$token.ts";

describeEachDatabase("click redirect /r/:token", (database) => {
  const setup = async () => {
    const runtime = createTestRuntime(database());
    const shop = randomShop("click");
    const sendId = randomUUID();
    const episodeId = randomUUID();
    await database().db.insert(campaignSends).values({
      id: sendId, shop, campaignId: "c1", episodeId, profileId: "p1", step: 0, idempotencyKey: `c1:${episodeId}:0`,
      status: "sent", toEmail: "a@example.com", message: {}, dueAt: new Date(),
    });
    const permalink = `https://${shop}/cart/11:2,12:1?storefront=true&cartback_token=${sendId}`;
    const token = (url: string, expiresAt = Date.now() + 60_000, forShop = shop) => signClickLink(runtime.appSecret, { shop: forShop, sendId, kind: "recovery", url, expiresAt });
    const follow = async (t: string) => (await loader(routeArgs(runtime, new Request(`https://cartback.test/r/${t}`), { token: t }) as never)) as Response;
    const clicks = () => database().db.select().from(revenueClicks).where(eq(revenueClicks.episodeId, episodeId)).orderBy(revenueClicks.id);
    return { shop, sendId, episodeId, permalink, token, follow, clicks };
  };

  it("records the click and lands on the cart permalink with the episode's exact lines", async () => {
    const s = await setup();
    const response = await s.follow(s.token(s.permalink));
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(s.permalink);
    await s.follow(s.token(s.permalink));
    const clicks = await s.clicks();
    expect(clicks.map((c) => [c.shop, c.sendId, c.campaignId, c.kind, c.first])).toEqual([
      [s.shop, s.sendId, "c1", "recovery", true],
      [s.shop, s.sendId, "c1", "recovery", false],
    ]);
  });

  it("refuses a tampered token with a 400 page and records nothing", async () => {
    const s = await setup();
    const good = s.token(s.permalink);
    const response = await s.follow(`${good.slice(0, -3)}AAA`);
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
    expect(await response.text()).toContain("This link is not valid");
    expect(await s.clicks()).toEqual([]);
  });

  it("refuses an expired token with a 410 page that offers only the shop", async () => {
    const s = await setup();
    const response = await s.follow(s.token(s.permalink, Date.now() - 1));
    expect(response.status).toBe(410);
    expect(await response.text()).toContain(`href="https://${s.shop}"`);
    expect(await s.clicks()).toEqual([]);
  });

  it("never redirects off the shop's domains, even with a validly signed target", async () => {
    const s = await setup();
    for (const url of ["https://evil.example/cart", `https://${s.shop}.evil.example/`, `https://user@evil.example/`, `javascript:alert(1)`]) {
      const response = await s.follow(s.token(url));
      expect(response.status).toBe(400);
      expect(response.headers.get("location")).toBeNull();
    }
    expect(await s.clicks()).toEqual([]);
  });

  it("does not credit a send of another shop named in a token", async () => {
    const s = await setup();
    const other = randomShop("other");
    const response = await s.follow(s.token(`https://${other}/cart/1:1`, Date.now() + 60_000, other));
    expect(response.status).toBe(302);
    expect(await s.clicks()).toEqual([]);
  });
});
