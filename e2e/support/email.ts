import type { ParsedMail } from "mailparser";
import { expect } from "vitest";
import type { E2eVariant } from "./catalog.ts";
import { recoveryLines } from "./recovery.ts";

export interface ExpectedLine {
  variant: E2eVariant;
  quantity: number;
}

const imageBase = (url: string) => url.replace(/\.(jpe?g|png|webp)(\?.*)?$/i, "");

/**
 * The abandoned-cart email shows exactly these lines: each product by name, its image and its
 * line price; products not in the cart are absent; the recovery link holds the variants and
 * quantities.
 */
export function expectCartEmail(mail: ParsedMail, lines: ExpectedLine[], all: E2eVariant[]): void {
  const html = typeof mail.html === "string" ? mail.html : "";
  expect(html, "an HTML part").not.toBe("");
  const images = [...html.matchAll(/<img[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]!.replaceAll("&amp;", "&"));
  for (const { variant, quantity } of lines) {
    expect(html).toContain(variant.productTitle);
    // Shopify's img_url resizes by suffixing the file name (…-1_160x.jpg): the same image.
    expect(images.some((src) => src.startsWith(imageBase(variant.imageUrl))), `image of ${variant.productTitle} in ${images.join(" ")}`).toBe(true);
    const linePrice = (Number(variant.price) * quantity).toFixed(2);
    expect(html, `line price of ${quantity} × ${variant.productTitle}`).toContain(linePrice);
  }
  const inCart = new Set(lines.map((l) => l.variant.productTitle));
  for (const other of all) if (!inCart.has(other.productTitle)) expect(html).not.toContain(other.productTitle);
  expect(Object.fromEntries(recoveryLines(html))).toEqual(Object.fromEntries(lines.map((l) => [l.variant.id, l.quantity])));
}
