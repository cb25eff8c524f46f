import { shops } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { expect, it } from "vitest";
import { signIn } from "../server/admin-auth/session.ts";
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
