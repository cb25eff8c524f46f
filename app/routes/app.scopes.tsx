import { type ActionFunctionArgs, json, redirect } from "@remix-run/node";
import { boundary } from "@shopify/shopify-app-remix/server";
import { readFormBody } from "../server/http-body.ts";
import { isOptionalScope } from "../shared/optional-scopes.ts";
import { authenticateAdmin, requestOptionalScopes } from "../shopify.server";

// "Grant access" in the embedded admin: Shopify's grant screen for the optional scopes named.
export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await authenticateAdmin(request, context);
  if (admin.type !== "embedded") return json({ field: "scope", message: "Scopes are granted in the Shopify admin" }, { status: 409 });
  const body = await readFormBody(request);
  if (body.type !== "ok") return json({ field: "form", message: "The form could not be read" }, { status: body.type === "too_large" ? 413 : 400 });
  const wanted = body.form.getAll("scope").map(String);
  if (wanted.length === 0 || !wanted.every(isOptionalScope)) {
    return json({ field: "scope", message: "Name one or more of the app's optional scopes" }, { status: 400 });
  }
  // Throws App Bridge's reauthorize answer unless every scope is granted already.
  await requestOptionalScopes(request, context, wanted);
  return redirect("/app");
}

// The library's answer (401 with X-Shopify-API-Request-Failure-Reauthorize-Url) keeps its headers.
export const headers = boundary.headers;
