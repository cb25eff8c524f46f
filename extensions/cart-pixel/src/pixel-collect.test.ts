import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { beforeAll, expect, it } from "vitest";
import { action as collectAction } from "../../../app/routes/collect.ts";
import { ingestRuntime, installShop } from "../../../app/server/ingest/testing.ts";
import { findProfileId, loadProfileState } from "../../../app/server/profiles/repository.ts";
import { routeArgs } from "../../../app/server/testing.ts";
import { buildPixel, capturedEvents, loadPixel } from "./testing/harness.ts";

let bundle = "";
beforeAll(async () => {
  bundle = await buildPixel();
});

describeEachDatabase("web pixel bundle → real /collect", (database) => {
  it("the app accepts every body the pixel posts for the captured events and builds the shopper's cart", async () => {
    const runtime = ingestRuntime(database());
    const shop = randomShop("pixel");
    const { pixelKey } = await installShop(database(), shop);
    const pixel = loadPixel(bundle, { collectorUrl: "https://cartback.example.com/collect", pixelKey }, shop);
    const journey = ["valmi__product_added_to_cart.json", "valmi__cart_viewed.json", "valmi__product_removed_from_cart.json"];
    const events = capturedEvents();
    for (const file of journey) pixel.feed(events.find((e) => e.file === file)!.event);
    expect(pixel.posted).toHaveLength(3);
    for (const post of pixel.posted) {
      const request = new Request(post.url, { method: "POST", headers: post.init.headers, body: post.init.body });
      const response = (await collectAction(routeArgs(runtime, request) as Parameters<typeof collectAction>[0])) as Response;
      expect(response.status).toBe(200);
      const body = (await response.json()) as { results: Array<{ status: string }> };
      expect(body.results.map((r) => r.status)).toEqual(["accepted"]);
    }
    const profileId = await findProfileId(database().db, shop, "clientId", "1fd529f6-8f05-4118-ba6b-a4e20691aa0c");
    const state = await loadProfileState(database().db, shop, profileId!);
    // The captured cart_viewed (13 Jan) is newer than both the add and the removal (12 Jan):
    // as the authority for its cart it is what remains, whatever order the posts arrived in.
    expect(state?.cart.map((l) => [l.variantId, l.quantity])).toEqual([
      ["44843038015702", 1],
      ["44843037917398", 2],
    ]);
  });
});
