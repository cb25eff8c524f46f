import { z } from "zod";

/**
 * The block document of one campaign email: what the designer edits and stores. It compiles to
 * the Liquid template the send path renders (compile.ts); the template, not this, is what is sent.
 * Every field is required in a stored document so that load → save → load is the identity.
 */

const id = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, "1 to 40 letters, digits, - or _");
const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, "a colour like #18181b");
const align = z.enum(["left", "center", "right"], { error: "left, center or right" });
// Messages read after the field's label in the editor: "Logo width: at least 40 pixels".
const whole = (min: number, max: number, unit = "") =>
  z.number({ error: "a number" }).int({ error: "a whole number" }).min(min, { error: `at least ${min}${unit}` }).max(max, { error: `at most ${max}${unit}` });
const pixels = (min: number, max: number) => whole(min, max, " pixels");
const chars = (max: number) => z.string().max(max, { error: `at most ${max} characters` });
// Email images and links must be absolute and fetched over the web; javascript: and data: never.
const httpUrl = chars(2000).regex(/^https?:\/\/[^\s"'<>]+$/, "a web address starting with https:// or http://");
/** Text with merge tags such as {first_name}; HTML and Liquid in it are shown as typed. */
const mergeText = chars(5000);
const label = chars(200).min(1, { error: "required" });

export const HeaderBlock = z.object({ id, type: z.literal("header"), logoUrl: httpUrl.nullable(), logoWidth: pixels(40, 600), title: mergeText, align });
export const HeadingBlock = z.object({ id, type: z.literal("heading"), text: mergeText, level: z.union([z.literal(1), z.literal(2)], { error: "large or small" }), align });
export const TextBlock = z.object({ id, type: z.literal("text"), text: mergeText, align });
/** `src` "" is an image the merchant has not chosen yet: the block is left out of the email. */
export const ImageBlock = z.object({ id, type: z.literal("image"), src: z.union([z.literal(""), httpUrl]), alt: chars(300), href: httpUrl.nullable(), width: pixels(40, 600) });
export const ButtonBlock = z.object({ id, type: z.literal("button"), label, href: httpUrl, color, textColor: color, align });
export const DividerBlock = z.object({ id, type: z.literal("divider"), color, thickness: pixels(1, 8) });
export const SpacerBlock = z.object({ id, type: z.literal("spacer"), height: pixels(4, 160) });

/** Blocks that may sit inside a column. */
export const ColumnContent = z.discriminatedUnion("type", [HeadingBlock, TextBlock, ImageBlock, ButtonBlock], { error: "a heading, text, image or button" });
export type ColumnContent = z.infer<typeof ColumnContent>;
export const ColumnsBlock = z.object({ id, type: z.literal("columns"), columns: z.tuple([z.array(ColumnContent).max(10), z.array(ColumnContent).max(10)]) });

export const CartColumns = z.object({ image: z.boolean(), name: z.boolean(), variant: z.boolean(), quantity: z.boolean(), price: z.boolean(), lineTotal: z.boolean() });
export type CartColumns = z.infer<typeof CartColumns>;
/**
 * One row per product in the live cart, from the campaign's catalog mapping. A sold-out variant
 * (`Available` false) is marked or left out; a deleted one has no catalog row and drops out.
 */
export const CartItemsBlock = z.object({
  id,
  type: z.literal("cartItems"),
  columns: CartColumns,
  maxRows: whole(1, 50),
  unavailable: z.enum(["mark", "hide"], { error: "mark or hide" }),
  soldOutLabel: chars(60).min(1, { error: "required" }),
});
export const RestoreCartBlock = z.object({ id, type: z.literal("restoreCart"), label, color, textColor: color, align });
export const DiscountBlock = z.object({ id, type: z.literal("discount"), code: z.string().regex(/^[A-Za-z0-9_-]{1,60}$/, "1 to 60 letters, digits, - or _"), text: mergeText });
export const FooterBlock = z.object({ id, type: z.literal("footer"), text: mergeText, address: chars(500), unsubscribeLabel: label });
/** Raw Liquid pasted by the merchant, compiled verbatim (CleverTap snippets work unchanged). */
export const LiquidBlock = z.object({ id, type: z.literal("liquid"), source: chars(100_000) });

export const Block = z.discriminatedUnion("type", [
  HeaderBlock, HeadingBlock, TextBlock, ImageBlock, ButtonBlock, DividerBlock, SpacerBlock, ColumnsBlock,
  CartItemsBlock, RestoreCartBlock, DiscountBlock, FooterBlock, LiquidBlock,
], { error: "not a block the designer knows" });
export type Block = z.infer<typeof Block>;
export type BlockType = Block["type"];
export type BlockOf<T extends BlockType> = Extract<Block, { type: T }>;

export const DocumentStyle = z.object({ background: color, contentBackground: color, textColor: color, linkColor: color });
export type DocumentStyle = z.infer<typeof DocumentStyle>;

export const BlockDocument = z.object({
  version: z.literal(1),
  /** Liquid, as the HTML-mode subject field. */
  subject: chars(1000).min(1, { error: "required" }),
  preheader: chars(1000),
  style: DocumentStyle,
  blocks: z.array(Block).max(100, { error: "at most 100 blocks" }),
});
export type BlockDocument = z.infer<typeof BlockDocument>;
