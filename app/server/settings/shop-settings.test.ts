import { shops } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { expect, it } from "vitest";
import { loadShopContext } from "../campaigns/shop-context.ts";
import { readShopSettings, saveShopSettings } from "./shop-settings.ts";

const valid = {
  cartTrackingEnabled: false,
  timezone: "Europe/Paris",
  sender: { fromName: "Maison", fromAddress: "hello@maison.example", replyTo: "" },
};
const saved = {
  ...valid,
  sender: { fromName: "Maison", fromAddress: "hello@maison.example", replyTo: null },
};

describeEachDatabase("shop settings", (database) => {
  it("saves and reads back every field", async () => {
    const shop = randomShop();
    await database().db.insert(shops).values({ shop, settings: { other: 1 } });
    expect(await saveShopSettings(database().db, shop, valid)).toEqual({ type: "saved" });
    const settings = await readShopSettings(database().db, shop);
    expect(settings).toMatchObject({ ...saved, shop, catalogSyncEnabled: false, storeContactEmail: null });
    // The campaign engine reads the same sender.
    expect((await loadShopContext(database().db, shop)).sender).toEqual(saved.sender);
  });

  it("shows the store's contact email from Shopify, and saving keeps what Shopify said", async () => {
    const shop = randomShop();
    await database().db.insert(shops).values({ shop, settings: { shopify: { contactEmail: "hallo@store.example", moneyWithCurrencyFormat: null, timezone: "UTC" } } });
    expect(await saveShopSettings(database().db, shop, valid)).toEqual({ type: "saved" });
    expect((await readShopSettings(database().db, shop))?.storeContactEmail).toBe("hallo@store.example");
  });

  it("rejects a bad field by name and changes nothing", async () => {
    const shop = randomShop();
    await database().db.insert(shops).values({ shop });
    const result = await saveShopSettings(database().db, shop, { ...valid, timezone: "Mars/Olympus" });
    expect(result).toMatchObject({ type: "invalid", field: "timezone" });
    const bad = await saveShopSettings(database().db, shop, { ...valid, sender: { ...valid.sender, replyTo: "nope" } });
    expect(bad).toMatchObject({ type: "invalid", field: "sender.replyTo" });
    expect((await readShopSettings(database().db, shop))?.timezone).toBe("UTC");
    expect((await readShopSettings(database().db, shop))?.cartTrackingEnabled).toBe(true);
  });

  it("does not touch another shop", async () => {
    const [a, b] = [randomShop(), randomShop()];
    await database().db.insert(shops).values([{ shop: a }, { shop: b }]);
    await saveShopSettings(database().db, a, valid);
    expect((await readShopSettings(database().db, b))?.timezone).toBe("UTC");
    expect(await saveShopSettings(database().db, randomShop(), valid)).toEqual({ type: "unknown_shop" });
  });
});
