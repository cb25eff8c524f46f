import { shops } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { expect, it } from "vitest";
import { signIn } from "../server/admin-auth/session.ts";
import { HELD_REASON } from "../server/campaigns/breaker.ts";
import { recordDecision } from "../server/campaigns/decisions.ts";
import { updateSender } from "../server/campaigns/shop-context.ts";
import { createTestRuntime, routeArgs } from "../server/testing.ts";
import { loader } from "./app._index.tsx";

describeEachDatabase("Dashboard sender notice", (database) => {
  it("says 'Set a sender email' while the shop has no sender, MAIL_FROM or store contact email, and not once one is set", async () => {
    const shop = randomShop("dash");
    const runtime = createTestRuntime(database(), { SHOPIFY_SHOP: shop, SHOPIFY_ADMIN_TOKEN: "shpat_test", SHOPIFY_API_SECRET: "secret", MAIL_FROM: "" });
    const login = await signIn(runtime, new Request("http://localhost/auth/login"));
    const cookie = login.headers.get("Set-Cookie")!.split(";")[0]!;
    await database().db.insert(shops).values({ shop });
    const open = async () => {
      const res = (await loader(routeArgs(runtime, new Request("http://localhost/app", { headers: { Cookie: cookie } })) as never)) as Response;
      return ((await res.json()) as { noSender: string | null }).noSender;
    };
    expect(await open()).toContain("Set a sender email");
    await updateSender(database().db, shop, { fromAddress: "hello@dash.example" });
    expect(await open()).toBeNull();
  });
});

describeEachDatabase("Dashboard new-recipient hold", (database) => {
  it("tells the merchant how many new recipients the breaker held this hour", async () => {
    const shop = randomShop("held");
    const runtime = createTestRuntime(database(), { SHOPIFY_SHOP: shop, SHOPIFY_ADMIN_TOKEN: "shpat_test", SHOPIFY_API_SECRET: "secret" });
    const login = await signIn(runtime, new Request("http://localhost/auth/login"));
    const cookie = login.headers.get("Set-Cookie")!.split(";")[0]!;
    await database().db.insert(shops).values({ shop });
    const held = async () => {
      const res = (await loader(routeArgs(runtime, new Request("http://localhost/app", { headers: { Cookie: cookie } })) as never)) as Response;
      return ((await res.json()) as { held: number }).held;
    };
    expect(await held()).toBe(0);
    const at = new Date();
    for (const profileId of ["p1", "p2", "p2"]) {
      await recordDecision(database().db, { shop, profileId, campaignId: "c", episodeId: `e-${profileId}`, step: 0, at, outcome: "deferred", reason: HELD_REASON, until: new Date(at.getTime() + 900_000) });
    }
    expect(await held()).toBe(2);
  });
});
