import { type Db, profileIdentities } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { and, eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { identityMatch, listProfiles } from "./list.ts";

describeEachDatabase("profile search: identities", (database) => {
  const keysOf = async (shop: string, query: string, byCodePoint: boolean) =>
    (await (database().db as Db).select({ key: profileIdentities.key }).from(profileIdentities).where(and(eq(profileIdentities.shop, shop), identityMatch(query, byCodePoint)))).map((r) => r.key).sort();

  it("matches the same keys by the index's key range (code-point collation) and by starts_with alone (linguistic collation)", async () => {
    const shop = randomShop("match");
    const keys = ["email:ana@x.com", "email:ana+shop@x.com", "email:ana.b@x.com", "email:anb@x.com", "email:an@x.com", "email:zoë@x.com", "customerId:7001", "cartToken:ana"];
    await (database().db as Db).insert(profileIdentities).values(keys.map((key, i) => ({ shop, key, profileId: `p${i}` })));
    for (const query of ["ana", "ANA+", "an", "ana.", "zo", "zoë@", "7001", "ana@x.com", "b"]) {
      const byRange = await keysOf(shop, query, true);
      expect(await keysOf(shop, query, false), query).toEqual(byRange);
    }
    expect(await keysOf(shop, "ana+", false)).toEqual(["email:ana+shop@x.com"]);
    expect(await keysOf(shop, "ana", true)).toEqual(["cartToken:ana", "email:ana+shop@x.com", "email:ana.b@x.com", "email:ana@x.com"]);
  });

  it("says when a search matched more identities than it looks at", async () => {
    const shop = randomShop("cap");
    await (database().db as Db).insert(profileIdentities).values(Array.from({ length: 1001 }, (_, i) => ({ shop, key: `email:cap${i}@x.com`, profileId: `p${i}` })));
    expect((await listProfiles(database().db as Db, shop, { query: "cap" })).capped).toBe(true);
    expect((await listProfiles(database().db as Db, shop, { query: "cap1000" })).capped).toBe(false);
  });
});
