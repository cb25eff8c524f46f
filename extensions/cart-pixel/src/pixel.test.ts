import { WireEvent } from "@cartback/core/events/wire";
import { beforeAll, describe, expect, it } from "vitest";
import { buildPixel, capturedEvents, loadPixel as load } from "./testing/harness.ts";

const captured = capturedEvents();
const settings = { collectorUrl: "https://cartback.example/collect", pixelKey: "pk_test_123" };
let bundle = "";
const loadPixel = (s: Record<string, string>, customer: Record<string, unknown> | null = null) => load(bundle, s, undefined, customer);

beforeAll(async () => {
  bundle = await buildPixel();
});

describe("web pixel (built bundle, fake shopify.extend)", () => {
  it("subscribes to exactly the six cart and checkout events", () => {
    const { subscribers } = loadPixel(settings);
    expect([...subscribers.keys()].sort()).toEqual(
      ["cart_viewed", "checkout_completed", "checkout_contact_info_submitted", "checkout_started", "product_added_to_cart", "product_removed_from_cart"].sort(),
    );
  });

  it("posts every captured cart/checkout event as text/plain JSON with keepalive, and core's schema accepts each", () => {
    const { posted, feed, subscribers } = loadPixel(settings);
    const relevant = captured.filter(({ event }) => subscribers.has(event.name));
    expect(relevant.length).toBeGreaterThanOrEqual(10);
    for (const { event } of relevant) feed(event);
    // An empty contact step (no email, no phone) carries nothing to forward.
    const withContent = relevant.filter(({ file }) => file !== "valmi__checkout_contact_info_submitted.json");
    expect(posted).toHaveLength(withContent.length);
    for (const post of posted) {
      expect(post.url).toBe(settings.collectorUrl);
      expect(post.init).toMatchObject({ method: "POST", keepalive: true, headers: { "content-type": "text/plain" } });
      expect(post.body).toMatchObject({ shop: "quickstart-6ebc0909.myshopify.com", pixelKey: "pk_test_123" });
      expect(post.body.events).toHaveLength(1);
      const parsed = WireEvent.safeParse(post.body.events[0]);
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    }
    expect(posted.map((p) => p.body.events[0]!.id)).toEqual(withContent.map(({ event }) => event.id));
  });

  it("maps the captured add, cart view and order to numeric ids and minor units", () => {
    const { posted, feed } = loadPixel(settings);
    const byFile = (file: string) => captured.find((c) => c.file === file)!.event;
    feed(byFile("valmi__product_added_to_cart.json"));
    feed(byFile("valmi__cart_viewed.json"));
    feed(byFile("valmi__checkout_completed.json"));
    const [added, viewed, charged] = posted.map((p) => WireEvent.parse(p.body.events[0]));
    expect(added!.body).toMatchObject({
      name: "Added to Cart",
      identifiers: { clientId: "1fd529f6-8f05-4118-ba6b-a4e20691aa0c" },
      line: { variantId: "44843038015702", quantity: 1, unitPrice: 74995, currency: "INR" },
    });
    expect(viewed!.body).toMatchObject({
      name: "Cart Snapshot",
      identifiers: { cartToken: "Z2NwLXVzLWNlbnRyYWwxOjAxSEtZMllEN0NZTkEwRVo3QlpHMkUyMEo4" },
      lines: [{ variantId: "44843037917398", quantity: 2 }, { variantId: "44843038015702", quantity: 1 }],
    });
    expect(charged!.body).toMatchObject({
      name: "Charged",
      orderId: "5364716830934",
      total: 88494,
      identifiers: { checkoutToken: "dd84dba9362eab31f3513ebd3bd82b6c", email: "raj@mywavia.com" },
    });
  });

  it("sends nothing for a logged-in customer by itself: identity goes through the signed app proxy", () => {
    const { posted } = loadPixel(settings, { id: "6795196776662", email: "shopper@example.com" });
    expect(posted).toEqual([]);
  });

  it("does nothing without its settings (pixel not yet activated for the shop)", () => {
    const { posted, subscribers } = loadPixel({ collectorUrl: "", pixelKey: "" }, { id: "1" });
    expect(posted).toEqual([]);
    expect(subscribers.size).toBe(0);
  });

  it("ships no zod in the sandbox bundle", () => {
    expect(bundle).not.toContain("zod");
    expect(bundle.length).toBeLessThan(20_000);
  });
});
