import type { Block, BlockOf, CartColumns, ColumnContent } from "@cartback/email-blocks";
import { Banner, BlockStack, Checkbox, InlineStack, Select, Text, TextField } from "@shopify/polaris";

/** `key` names the field for undo coalescing; typing into one field is one undo step. */
export type BlockChange = (block: Block, key: string) => void;

const ALIGN = [{ label: "Left", value: "left" }, { label: "Center", value: "center" }, { label: "Right", value: "right" }];
const MERGE_HELP = "Merge tags: {first_name} {last_name} {shop_name} {cart_total} {item_count}; **bold**";

/** A text or number input bound to one field of a block. */
function Field<B extends Block | ColumnContent>(props: { block: B; name: keyof B & string; label: string; onChange: (b: B, key: string) => void; multiline?: boolean; number?: boolean; help?: string; nullable?: boolean }) {
  const { block, name, onChange } = props;
  const value = block[name];
  return (
    <TextField
      label={props.label}
      value={value === null || value === undefined ? "" : String(value)}
      type={props.number ? "number" : "text"}
      multiline={props.multiline ? 3 : undefined}
      helpText={props.help}
      autoComplete="off"
      onChange={(text) => {
        const next = props.number ? Number(text) : props.nullable && text.trim() === "" ? null : text;
        onChange({ ...block, [name]: next }, `${block.id}.${name}`);
      }}
    />
  );
}

function AlignField<B extends { id: string; align: string }>({ block, onChange }: { block: B; onChange: (b: B, key: string) => void }) {
  return <Select label="Alignment" options={ALIGN} value={block.align} onChange={(align) => onChange({ ...block, align }, `${block.id}.align`)} />;
}

export function ContentSettings({ block, onChange }: { block: ColumnContent; onChange: (b: ColumnContent, key: string) => void }) {
  switch (block.type) {
    case "heading":
      return (
        <BlockStack gap="200">
          <Field block={block} name="text" label="Heading" onChange={onChange} help={MERGE_HELP} />
          <Select label="Size" options={[{ label: "Large", value: "1" }, { label: "Small", value: "2" }]} value={String(block.level)} onChange={(v) => onChange({ ...block, level: v === "1" ? 1 : 2 }, `${block.id}.level`)} />
          <AlignField block={block} onChange={onChange} />
        </BlockStack>
      );
    case "text":
      return (
        <BlockStack gap="200">
          <Field block={block} name="text" label="Text" onChange={onChange} multiline help={MERGE_HELP} />
          <AlignField block={block} onChange={onChange} />
        </BlockStack>
      );
    case "image":
      return (
        <BlockStack gap="200">
          {block.src ? null : <Banner tone="info">Add the URL of one of your own images (e.g. from Shopify admin → Content → Files). Until then this block is left out of the email.</Banner>}
          <Field block={block} name="src" label="Image URL (https:// or http://)" onChange={onChange} />
          <Field block={block} name="alt" label="Alt text (read aloud, shown when images are off)" onChange={onChange} />
          <Field block={block} name="href" label="Link (optional)" onChange={onChange} nullable />
          <Field block={block} name="width" label="Width in px (40–600)" onChange={onChange} number />
        </BlockStack>
      );
    case "button":
      return (
        <BlockStack gap="200">
          <Field block={block} name="label" label="Button text" onChange={onChange} />
          <Field block={block} name="href" label="Link (https:// or http://)" onChange={onChange} />
          <InlineStack gap="200">
            <Field block={block} name="color" label="Colour" onChange={onChange} />
            <Field block={block} name="textColor" label="Text colour" onChange={onChange} />
          </InlineStack>
          <AlignField block={block} onChange={onChange} />
        </BlockStack>
      );
    default: {
      const unreachable: never = block;
      throw new Error(`unexpected block ${JSON.stringify(unreachable)}`);
    }
  }
}

const COLUMN_LABELS: Record<keyof CartColumns, string> = { image: "Image", name: "Name", variant: "Variant (SKU)", quantity: "Quantity", price: "Price", lineTotal: "Line total" };

function CartItemsSettings({ block, onChange }: { block: BlockOf<"cartItems">; onChange: BlockChange }) {
  return (
    <BlockStack gap="200">
      <Text as="p" variant="bodySm" tone="subdued">One row per product in the shopper's live cart, from the campaign's catalog mapping.</Text>
      <InlineStack gap="300">
        {(Object.keys(COLUMN_LABELS) as (keyof CartColumns)[]).map((column) => (
          <Checkbox key={column} label={COLUMN_LABELS[column]} checked={block.columns[column]} onChange={(on) => onChange({ ...block, columns: { ...block.columns, [column]: on } }, `${block.id}.columns.${column}`)} />
        ))}
      </InlineStack>
      <Field block={block} name="maxRows" label='Rows before "and N more"' onChange={onChange} number />
      <Select label="Sold-out variants" options={[{ label: "Mark them", value: "mark" }, { label: "Leave them out", value: "hide" }]} value={block.unavailable} onChange={(v) => onChange({ ...block, unavailable: v === "hide" ? "hide" : "mark" }, `${block.id}.unavailable`)} />
      <Field block={block} name="soldOutLabel" label="Sold-out label" onChange={onChange} />
    </BlockStack>
  );
}

export function BlockSettings({ block, onChange }: { block: Block; onChange: BlockChange }) {
  switch (block.type) {
    case "heading":
    case "text":
    case "image":
    case "button":
      return <ContentSettings block={block} onChange={onChange} />;
    case "header":
      return (
        <BlockStack gap="200">
          <Field block={block} name="title" label="Title" onChange={onChange} help={MERGE_HELP} />
          <Field block={block} name="logoUrl" label="Logo URL (optional, https:// or http://)" onChange={onChange} nullable />
          <Field block={block} name="logoWidth" label="Logo width in px" onChange={onChange} number />
          <AlignField block={block} onChange={onChange} />
        </BlockStack>
      );
    case "divider":
      return <InlineStack gap="200"><Field block={block} name="color" label="Colour" onChange={onChange} /><Field block={block} name="thickness" label="Thickness (px)" onChange={onChange} number /></InlineStack>;
    case "spacer":
      return <Field block={block} name="height" label="Height (px)" onChange={onChange} number />;
    case "columns":
      return <ColumnsSettings block={block} onChange={onChange} />;
    case "cartItems":
      return <CartItemsSettings block={block} onChange={onChange} />;
    case "restoreCart":
      return <BlockStack gap="200"><Field block={block} name="label" label="Button text" onChange={onChange} /><InlineStack gap="200"><Field block={block} name="color" label="Colour" onChange={onChange} /><Field block={block} name="textColor" label="Text colour" onChange={onChange} /></InlineStack><AlignField block={block} onChange={onChange} /></BlockStack>;
    case "discount":
      return <BlockStack gap="200"><Field block={block} name="code" label="Discount code" onChange={onChange} /><Field block={block} name="text" label="Text above the code" onChange={onChange} help={MERGE_HELP} /></BlockStack>;
    case "footer":
      return <BlockStack gap="200"><Field block={block} name="text" label="Text" onChange={onChange} multiline help={MERGE_HELP} /><Field block={block} name="address" label="Shop address" onChange={onChange} multiline /><Field block={block} name="unsubscribeLabel" label="Unsubscribe link text" onChange={onChange} /></BlockStack>;
    case "liquid":
      return <Field block={block} name="source" label="Liquid" onChange={onChange} multiline help="Pasted as it is: Catalog.<alias>, cart.items, customer, shop, recovery_url, unsubscribe_url" />;
    default: {
      const unreachable: never = block;
      throw new Error(`unexpected block ${JSON.stringify(unreachable)}`);
    }
  }
}

function ColumnsSettings({ block, onChange }: { block: BlockOf<"columns">; onChange: BlockChange }) {
  const update = (col: 0 | 1, index: number) => (inner: ColumnContent, key: string) => {
    const columns: BlockOf<"columns">["columns"] = [[...block.columns[0]], [...block.columns[1]]];
    columns[col][index] = inner;
    onChange({ ...block, columns }, key);
  };
  return (
    <InlineStack gap="400" wrap={false} blockAlign="start">
      {([0, 1] as const).map((col) => (
        <BlockStack key={col} gap="200">
          <Text as="h4" variant="headingSm">Column {col + 1}</Text>
          {block.columns[col].map((inner, i) => <ContentSettings key={inner.id} block={inner} onChange={update(col, i)} />)}
        </BlockStack>
      ))}
    </InlineStack>
  );
}
