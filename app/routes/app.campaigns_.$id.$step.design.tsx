import { STARTER_LABELS, STARTERS } from "@cartback/email-blocks";
import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineStack, Page, Text } from "@shopify/polaris";
import { EmailEditor } from "../components/email-editor/EmailEditor.tsx";
import { pageTitle } from "../components/title.ts";
import type { Db } from "@cartback/db";
import { convertDesign, type DesignFormResult, type DesignTarget, previewDesign, saveDesign, startDesign, testDesign } from "../server/campaigns/design-form.ts";
import { loadStepDesign } from "../server/campaigns/designs.ts";
import { readFormBody } from "../server/http-body.ts";
import { problem } from "../server/http.ts";
import { authenticateAdmin } from "../shopify.server";

// The email designer of one campaign step: /app/campaigns/<id>/<step>/design (step from 1). The
// trailing underscore keeps it out of the Campaigns page's layout (that page has no Outlet), and its
// editor code (dnd-kit, the block forms) is in this route's chunk only.
export const meta: MetaFunction = () => pageTitle("Email designer", "Campaigns");

function targetOf(shop: string, params: LoaderFunctionArgs["params"]): DesignTarget | null {
  const step = /^\d{1,2}$/.test(params.step ?? "") ? Number(params.step) - 1 : -1;
  return step >= 0 && params.id ? { shop, campaignId: params.id, step } : null;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const admin = await authenticateAdmin(request, context);
  const target = admin.shop ? targetOf(admin.shop, params) : null;
  if (!target) throw new Response("No such campaign step", { status: 404 });
  const found = await loadStepDesign(context.runtime.database.db as Db, target.shop, target.campaignId, target.step);
  if (found.type !== "ok") throw new Response(found.message, { status: 404 });
  const { design } = found;
  return json({ campaignId: design.campaign.id, campaignName: design.campaign.name, step: target.step, mode: design.mode, document: design.document, editedByHand: design.editedByHand, custom: design.template !== null });
}

function respond(result: DesignFormResult, request: Request) {
  switch (result.type) {
    case "saved":
      return json({ saved: true });
    case "started":
      return redirect(new URL(request.url).pathname);
    case "converted":
      return redirect("/app/campaigns");
    case "preview":
      return json({ preview: { subject: result.subject, html: result.html, cart: result.cart } });
    case "test_sent":
      return json({ testSent: { to: result.to } });
    case "invalid":
      return json({ error: { code: "invalid_design", field: result.field, message: result.message, line: result.line, column: result.column } }, { status: 400 });
    case "not_found":
      return problem(404, "not_found", result.message, result.field);
    case "failed":
      return problem(502, "send_failed", result.message);
    default: {
      const unreachable: never = result;
      throw new Error(`unexpected ${JSON.stringify(unreachable)}`);
    }
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const admin = await authenticateAdmin(request, context);
  if (!admin.shop) return problem(400, "no_shop", "connect a store first");
  const target = targetOf(admin.shop, params);
  if (!target) return problem(404, "not_found", "no such campaign step", "step");
  const body = await readFormBody(request, 1024 * 1024);
  if (body.type === "too_large") return problem(413, "body_too_large", `the form is over ${body.limit} bytes`, "form");
  if (body.type === "malformed") return problem(400, "malformed_form", body.message, "form");
  const { form } = body;
  const { runtime } = context;
  switch (String(form.get("intent") ?? "")) {
    case "save":
      return respond(await saveDesign(runtime, target, form), request);
    case "start":
      return respond(await startDesign(runtime, target, form), request);
    case "convert":
      return respond(await convertDesign(runtime, target), request);
    case "preview":
      return respond(await previewDesign(runtime, target, form), request);
    case "test":
      return respond(await testDesign(runtime, target, form), request);
    default:
      return problem(400, "invalid_intent", "expected save, start, convert, preview or test", "intent");
  }
}

function StarterPicker({ custom, editedByHand }: { custom: boolean; editedByHand: boolean }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">Start from a design</Text>
        {editedByHand ? <Banner tone="info" title="This step's HTML was edited by hand">It stays in HTML mode on the Campaigns page. Starting from a design below replaces it.</Banner> : null}
        {custom && !editedByHand ? <Banner tone="info" title="This step has a hand-written template (HTML mode)">Edit it on the Campaigns page, or start from a design below, which replaces it.</Banner> : null}
        <InlineStack gap="200">
          {STARTERS.map((name) => (
            <Form method="post" key={name}>
              <input type="hidden" name="intent" value="start" />
              <input type="hidden" name="starter" value={name} />
              <Button submit>{STARTER_LABELS[name]}</Button>
            </Form>
          ))}
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

export default function DesignPage() {
  const data = useLoaderData<typeof loader>();
  const title = `${data.campaignName}: step ${data.step + 1} email`;
  if (data.mode !== "blocks" || !data.document) {
    return (
      <Page title={title} backAction={{ content: "Campaigns", url: "/app/campaigns" }}>
        <StarterPicker custom={data.custom} editedByHand={data.editedByHand} />
      </Page>
    );
  }
  return (
    <Page fullWidth title={title} backAction={{ content: "Campaigns", url: "/app/campaigns" }}>
      <BlockStack gap="400">
        <EmailEditor initial={data.document} />
        <Form method="post" onSubmit={(e) => {
          // One way: the Liquid stays, the blocks are gone.
          if (!window.confirm("Convert to HTML mode? The email keeps its current HTML, which you then edit as Liquid on the Campaigns page. The blocks are deleted: this cannot be undone.")) e.preventDefault();
        }}>
          <input type="hidden" name="intent" value="convert" />
          <Button submit tone="critical" variant="plain">Convert to HTML mode (one way)…</Button>
        </Form>
      </BlockStack>
    </Page>
  );
}
