import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { fromOrderWebhook } from "./shopify-webhooks.ts";
import { WireEvent } from "./wire.ts";

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../../fixtures/shopify");

describe("orders/create discount codes", () => {
  it("carries discount_codes[].code of a real order into the Charged event, through the wire schema", () => {
    const raw = JSON.parse(readFileSync(path.join(FIXTURES, "admin-rest/shopify_python_api/test__fixtures__order.json"), "utf8")) as { order: unknown };
    const translated = fromOrderWebhook(raw.order);
    if (translated.type !== "ok") throw new Error(JSON.stringify(translated));
    expect(translated.events[0]).toMatchObject({ name: "Charged", discountCodes: ["TENOFF"] });
    const parsed = WireEvent.safeParse(translated.events[0]);
    expect(parsed.success && parsed.data.body).toMatchObject({ name: "Charged", discountCodes: ["TENOFF"] });
  });

  it("leaves discountCodes out when the order used none, and drops blank or malformed entries", () => {
    const base = { id: 5001, created_at: "2026-11-02T12:00:00Z", email: "a@example.com", line_items: [] };
    const none = fromOrderWebhook({ ...base, discount_codes: [] });
    expect(none.type === "ok" && "discountCodes" in none.events[0]!).toBe(false);
    const odd = fromOrderWebhook({ ...base, discount_codes: [{ code: "" }, "X", null, { code: "CB-ABC" }] });
    expect(odd.type === "ok" && odd.events[0]).toMatchObject({ discountCodes: ["CB-ABC"] });
  });
});
