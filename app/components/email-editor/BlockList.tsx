import { closestCenter, DndContext, type DragEndEvent, KeyboardSensor, PointerSensor, useSensor, useSensors } from "@dnd-kit/core";
import { SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { BLOCK_LABELS, type Block } from "@cartback/email-blocks";
import { Box, Button, InlineStack, Text } from "@shopify/polaris";

/** What a block shows in the list: its kind and the start of its text. */
function summary(block: Block): string {
  switch (block.type) {
    case "header":
      return block.title;
    case "heading":
    case "text":
      return block.text;
    case "button":
    case "restoreCart":
      return block.label;
    case "image":
      return block.src ? block.alt : "no image yet: left out of the email";
    case "discount":
      return block.code;
    case "liquid":
      return block.source;
    case "cartItems":
      return `up to ${block.maxRows} rows`;
    default:
      return "";
  }
}

type RowProps = { block: Block; index: number; count: number; selected: boolean; onSelect: () => void; onMove: (to: number) => void; onRemove: () => void };

function SortableRow({ block, index, count, selected, onSelect, onMove, onRemove }: RowProps) {
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({ id: block.id });
  const label = BLOCK_LABELS[block.type];
  return (
    <li
      ref={setNodeRef}
      data-block-id={block.id}
      data-block-type={block.type}
      style={{ transform: CSS.Transform.toString(transform), transition, listStyle: "none", opacity: isDragging ? 0.6 : 1 }}
    >
      <Box padding="200" background={selected ? "bg-surface-selected" : "bg-surface"} borderWidth="025" borderColor={selected ? "border-focus" : "border"} borderRadius="200">
        <InlineStack gap="200" blockAlign="center" wrap={false}>
          {/* The handle takes pointer drags and the keyboard: Space picks up, arrows move, Space drops. */}
          <button type="button" className="block-handle" aria-label={`Drag ${label}`} {...attributes} {...listeners} style={{ cursor: "grab", border: 0, background: "none", fontSize: 18, padding: "0 4px" }}>
            ⠿
          </button>
          <div style={{ flex: 1, minWidth: 0, cursor: "pointer" }} onClick={onSelect} onKeyDown={(e) => (e.key === "Enter" ? onSelect() : undefined)} role="button" tabIndex={0} aria-label={`Edit ${label}`}>
            <Text as="span" fontWeight="semibold">{label}</Text>{" "}
            <Text as="span" tone="subdued" truncate>{summary(block).slice(0, 60)}</Text>
          </div>
          <Button size="micro" accessibilityLabel={`Move ${label} up`} disabled={index === 0} onClick={() => onMove(index - 1)}>↑</Button>
          <Button size="micro" accessibilityLabel={`Move ${label} down`} disabled={index === count - 1} onClick={() => onMove(index + 1)}>↓</Button>
          <Button size="micro" tone="critical" accessibilityLabel={`Remove ${label}`} onClick={onRemove}>✕</Button>
        </InlineStack>
      </Box>
    </li>
  );
}

type ListProps = { blocks: Block[]; selectedId: string | null; onSelect: (id: string) => void; onMove: (from: number, to: number) => void; onRemove: (id: string) => void };

export function BlockList({ blocks, selectedId, onSelect, onMove, onRemove }: ListProps) {
  // A few pixels of movement before a drag starts, so a click on the handle stays a click.
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 4 } }), useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }));
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    onMove(blocks.findIndex((b) => b.id === active.id), blocks.findIndex((b) => b.id === over.id));
  };
  return (
    <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd}>
      <SortableContext items={blocks.map((b) => b.id)} strategy={verticalListSortingStrategy}>
        <ol className="block-list" aria-label="Email blocks" style={{ display: "grid", gap: 6, padding: 0, margin: 0 }}>
          {blocks.map((block, index) => (
            <SortableRow key={block.id} block={block} index={index} count={blocks.length} selected={block.id === selectedId} onSelect={() => onSelect(block.id)} onMove={(to) => onMove(index, to)} onRemove={() => onRemove(block.id)} />
          ))}
        </ol>
      </SortableContext>
    </DndContext>
  );
}
