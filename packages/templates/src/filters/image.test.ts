import { describe, expect, it } from "vitest";
import { imageUrl, imgUrl } from "./image.ts";

const CDN = "https://cdn.shopify.com/s/files/1/0920/1133/1888/files/DSC03154_035c.jpg?v=1780740505";

describe("image size filters", () => {
  it("puts a legacy size before the extension of a Shopify CDN URL", () => {
    expect(imgUrl(CDN, "160x")).toBe("https://cdn.shopify.com/s/files/1/0920/1133/1888/files/DSC03154_035c_160x.jpg?v=1780740505");
    expect(imgUrl(CDN, "medium")).toContain("DSC03154_035c_240x240.jpg");
  });

  it("replaces a size already in the name rather than stacking them", () => {
    expect(imgUrl(imgUrl(CDN, "100x100"), "300x")).toContain("DSC03154_035c_300x.jpg");
  });

  it("leaves other hosts, master and nonsense sizes alone", () => {
    expect(imgUrl("https://example.com/a.jpg", "100x")).toBe("https://example.com/a.jpg");
    expect(imgUrl(CDN, "master")).toBe(CDN);
    expect(imgUrl(CDN, "huge; drop")).toBe(CDN);
  });

  it("returns nil for a missing image so `default` can take over", () => {
    expect(imgUrl(null, "100x")).toBeNull();
    expect(imgUrl("", "100x")).toBeNull();
  });

  it("sets width and height query parameters for image_url", () => {
    const url = new URL(imageUrl(CDN, ["width", 200], ["height", 300]) ?? "");
    expect(url.searchParams.get("width")).toBe("200");
    expect(url.searchParams.get("height")).toBe("300");
    expect(url.searchParams.get("v")).toBe("1780740505");
    expect(imageUrl("//cdn.shopify.com/s/files/a.png", ["width", 10])).toBe("//cdn.shopify.com/s/files/a.png?width=10");
  });
});
