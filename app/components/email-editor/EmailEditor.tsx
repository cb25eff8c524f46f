import { BLOCK_LABELS, BLOCK_TYPES, type Block, BlockDocument, type BlockType, describeIssue } from "@cartback/email-blocks";
import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineGrid, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { useCallback, useEffect, useReducer, useState } from "react";
import { BlockList } from "./BlockList.tsx";
import { BlockSettings } from "./BlockSettings.tsx";
import { addBlock, moveBlock, removeBlock, replaceBlock } from "./document-ops.ts";
import { historyReducer, initialHistory } from "./history.ts";
import { type PreviewData, PreviewPane } from "./PreviewPane.tsx";
import { useDebouncedEffect } from "./use-debounced.ts";

type ApiError = { field?: string; message: string; line?: number; column?: number };
export type EditorResponse = { saved?: boolean; preview?: PreviewData; testSent?: { to: string }; error?: ApiError };

// A design's own errors already name their field and block; template errors name the template and line.
const errorText = (e: ApiError | undefined) =>
  e ? `${e.message}${e.field && !e.field.startsWith("document") ? ` (${e.field}${e.line !== undefined ? `, line ${e.line}` : ""})` : ""}` : undefined;

/** The first problem the schema finds, so a half-typed number or URL is named before any request. */
function localProblem(doc: BlockDocument): string | undefined {
  const parsed = BlockDocument.safeParse(doc);
  return parsed.success ? undefined : describeIssue(doc, parsed.error.issues[0]).message;
}

export function EmailEditor({ initial }: { initial: BlockDocument }) {
  const [history, dispatch] = useReducer(historyReducer, initial, initialHistory);
  const doc = history.present;
  const [selectedId, setSelectedId] = useState<string | null>(initial.blocks[0]?.id ?? null);
  const [addType, setAddType] = useState<BlockType>("cartItems");
  const [profile, setProfile] = useState("");
  const [to, setTo] = useState("");
  const save = useFetcher<EditorResponse>();
  const preview = useFetcher<EditorResponse>();
  const test = useFetcher<EditorResponse>();
  const edit = useCallback((document: BlockDocument, key?: string) => dispatch({ type: "edit", document, ...(key ? { key } : {}) }), []);
  const problem = localProblem(doc);
  const body = (intent: string, extra: Record<string, string> = {}) => ({ intent, document: JSON.stringify(doc), profile, ...extra });

  // The preview follows edits (and the chosen profile) once typing pauses.
  useDebouncedEffect(`${JSON.stringify(doc)}\u0000${profile}`, 400, () => {
    if (!localProblem(doc)) preview.submit(body("preview"), { method: "post" });
  });

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.metaKey || e.ctrlKey;
      if (!mod || e.key.toLowerCase() !== "z" || (e.target as HTMLElement | null)?.closest("input, textarea")) return;
      e.preventDefault();
      dispatch({ type: e.shiftKey ? "redo" : "undo" });
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const selected = doc.blocks.find((b) => b.id === selectedId) ?? null;
  const add = () => {
    const added = addBlock(doc, addType, selectedId);
    edit(added.document);
    setSelectedId(added.id);
  };
  return (
    <InlineGrid columns={{ xs: 1, lg: 2 }} gap="400">
      <BlockStack gap="400">
        <Card>
          <BlockStack gap="300">
            <TextField label="Subject" value={doc.subject} onChange={(subject) => edit({ ...doc, subject }, "subject")} autoComplete="off" helpText="Liquid, e.g. {{ customer.first_name }}" />
            <TextField label="Preheader" value={doc.preheader} onChange={(preheader) => edit({ ...doc, preheader }, "preheader")} autoComplete="off" />
          </BlockStack>
        </Card>
        <Card>
          <BlockStack gap="300">
            <InlineStack align="space-between" blockAlign="end" gap="200">
              <Select label="Block" labelInline options={BLOCK_TYPES.map((type) => ({ label: BLOCK_LABELS[type], value: type }))} value={addType} onChange={(v) => setAddType(v as BlockType)} />
              <Button onClick={add}>Add block</Button>
              <Button onClick={() => dispatch({ type: "undo" })} disabled={history.past.length === 0}>Undo</Button>
              <Button onClick={() => dispatch({ type: "redo" })} disabled={history.future.length === 0}>Redo</Button>
            </InlineStack>
            <Text as="p" variant="bodySm" tone="subdued">Drag a block by its handle, or focus the handle and press Space, the arrow keys, then Space; ↑/↓ move it one place.</Text>
            <BlockList
              blocks={doc.blocks}
              selectedId={selectedId}
              onSelect={setSelectedId}
              onMove={(from, toIndex) => edit(moveBlock(doc, from, toIndex))}
              onRemove={(id) => edit(removeBlock(doc, id))}
            />
          </BlockStack>
        </Card>
        {selected ? (
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">{BLOCK_LABELS[selected.type]}</Text>
              <BlockSettings block={selected} onChange={(block: Block, key: string) => edit(replaceBlock(doc, block), key)} />
            </BlockStack>
          </Card>
        ) : null}
        <Card>
          <BlockStack gap="300">
            {problem ? <Banner tone="warning" title="Not valid yet">{problem}</Banner> : null}
            {save.data?.error ? <Banner tone="critical" title="Not saved">{errorText(save.data.error)}</Banner> : null}
            {save.data?.saved && save.state === "idle" ? <Banner tone="success" title="Saved" /> : null}
            <InlineStack gap="200">
              <Button variant="primary" disabled={Boolean(problem)} loading={save.state !== "idle"} onClick={() => save.submit(body("save"), { method: "post" })}>Save design</Button>
            </InlineStack>
            <InlineStack gap="200" blockAlign="end">
              <TextField label="Send test to" type="email" value={to} onChange={setTo} autoComplete="off" />
              <Button disabled={Boolean(problem)} loading={test.state !== "idle"} onClick={() => test.submit(body("test", { to }), { method: "post" })}>Send test</Button>
            </InlineStack>
            {test.data?.testSent ? <Banner tone="success" title={`Test sent to ${test.data.testSent.to}`} /> : null}
            {test.data?.error ? <Banner tone="critical" title="Test not sent">{errorText(test.data.error)}</Banner> : null}
          </BlockStack>
        </Card>
      </BlockStack>
      <Card>
        <PreviewPane preview={preview.data?.preview} error={errorText(preview.data?.error)} loading={preview.state !== "idle"} profile={profile} onProfile={setProfile} />
      </Card>
    </InlineGrid>
  );
}
