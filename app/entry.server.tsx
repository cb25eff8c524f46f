import { PassThrough } from "node:stream";
import { type ActionFunctionArgs, type AppLoadContext, type EntryContext, type LoaderFunctionArgs, createReadableStreamFromReadable } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { addDocumentResponseHeaders } from "./shopify.server";

const ABORT_DELAY = 5_000;

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  addDocumentResponseHeaders(loadContext.runtime, request, responseHeaders);
  const callback = isbot(request.headers.get("user-agent") ?? "") ? "onAllReady" : "onShellReady";
  return new Promise<Response>((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(
      <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} />,
      {
        [callback]: () => {
          const body = new PassThrough();
          responseHeaders.set("Content-Type", "text/html");
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          );
          pipe(body);
        },
        onShellError: reject,
        onError(error: unknown) {
          responseStatusCode = 500;
          loadContext.runtime.logger.error({ err: error }, "render failed");
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}

/**
 * Errors thrown in loaders and actions go to the structured logger, which masks emails in
 * the error and the URL, instead of Remix's default console.error of the raw error.
 */
export function handleError(error: unknown, { request, context }: LoaderFunctionArgs | ActionFunctionArgs) {
  // A 4xx the router answers itself (no such page, a method a route lacks) is not a failure.
  if (request.signal.aborted || (isRouteErrorResponse(error) && error.status < 500)) return;
  const url = new URL(request.url);
  context.runtime.logger.error({ err: error, method: request.method, path: url.pathname, query: url.search }, "request failed");
}

// The process entry points live in this build too (scripts/start.mjs and scripts/worker.mjs
// load them from here), so the server, the worker and every route share one module graph.
export { readConfigOrExit, runServer, startServer } from "./server/main.ts";
export { runWorker } from "./server/worker-main.ts";
