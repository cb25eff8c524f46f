import { readFileSync } from "node:fs";
import path from "node:path";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { expect, it } from "vitest";
import { action as collect } from "../../routes/collect.ts";
import { FIXTURES, ingestRuntime, installShop } from "../ingest/testing.ts";
import { findProfileId, loadProfileState } from "../profiles/repository.ts";
import { routeArgs } from "../testing.ts";
import { customPixelCode } from "./custom-pixel.ts";

/** Runs the pasted custom pixel the way Shopify's sandbox does: `analytics` and `fetch` in scope. */
function runCustomPixel(code: string) {
  const handlers = new Map<string, (event: unknown) => void>();
  const posted: { url: string; init: RequestInit }[] = [];
  const analytics = { subscribe: (name: string, handler: (event: unknown) => void) => handlers.set(name, handler) };
  const fakeFetch = async (url: string, init: RequestInit) => {
    posted.push({ url, init });
    return new Response("{}");
  };
  new Function("analytics", "fetch", code)(analytics, fakeFetch);
  return { handlers, posted };
}

const captured = (file: string) => JSON.parse(readFileSync(path.join(FIXTURES, "web-pixel-events", file), "utf8"));

describeEachDatabase("custom pixel code for self-hosted installs", (database) => {
  it("subscribes to the cart events and its posts build the shopper's cart through /collect", async () => {
    const runtime = ingestRuntime(database());
    const shop = randomShop("custom-pixel");
    const { pixelKey } = await installShop(database(), shop);
    const pixel = runCustomPixel(customPixelCode({ appUrl: "https://cartback.example.com", shop, pixelKey }));
    expect([...pixel.handlers.keys()]).toContain("product_added_to_cart");
    expect([...pixel.handlers.keys()]).toContain("checkout_completed");

    const journey = ["valmi__product_added_to_cart.json", "valmi__cart_viewed.json", "valmi__product_removed_from_cart.json"];
    for (const file of journey) {
      const event = captured(file) as { name: string };
      pixel.handlers.get(event.name)!(event);
    }
    expect(pixel.posted).toHaveLength(3);
    for (const post of pixel.posted) {
      expect(post.url).toBe("https://cartback.example.com/collect");
      expect(post.init.keepalive).toBe(true);
      const request = new Request(post.url, { method: "POST", headers: post.init.headers, body: post.init.body });
      const response = (await collect(routeArgs(runtime, request) as Parameters<typeof collect>[0])) as Response;
      expect(response.status).toBe(200);
    }
    const profileId = await findProfileId(database().db, shop, "clientId", "1fd529f6-8f05-4118-ba6b-a4e20691aa0c");
    const state = await loadProfileState(database().db, shop, profileId!);
    expect(state?.cart.map((line) => line.variantId)).toEqual(["44843038015702", "44843037917398"]);
  });
});
