import { Agent } from "node:http";
import { type AppProcess, availableDatabases, signInMerchant, startAppProcess } from "@cartback/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FuzzTarget } from "../scripts/fuzz/requests.ts";
import { fuzzRequest } from "../scripts/fuzz/requests.ts";
import { send } from "../scripts/fuzz/runner.ts";

// A small `npm run fuzz` (issue 13) on every run of the suite: generated hostile requests to
// every public endpoint of the app started as `npm start` does. Any answer >= 500, or a
// connection left without an answer, fails with the shrunk request and fast-check's seed.
const RUNS = 1_000;

describe.each(availableDatabases())("hostile requests to every public endpoint on %s", (database) => {
  let app: AppProcess;
  let target: FuzzTarget;
  beforeAll(async () => {
    app = await startAppProcess({ database });
    const merchant = await signInMerchant(app);
    target = { appUrl: app.url, shop: app.shop, secret: app.secret, apiKey: await merchant.createApiKey(), pixelKey: await merchant.pixelKey() };
  });
  afterAll(() => app?.stop());

  it(`answers ${RUNS} of them without a 5xx or a hang, and keeps serving`, async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      await fc.assert(
        fc.asyncProperty(fuzzRequest(target), async (request) => {
          const answer = await send(app.url, agent, request, 10_000);
          if (answer.status >= 500 || answer.status === 0) {
            throw new Error(`${request.method} ${request.path.slice(0, 300)} → ${answer.status} ${answer.body.slice(0, 300)}`);
          }
        }),
        { numRuns: RUNS },
      );
    } finally {
      agent.destroy();
    }
    expect(app.child.exitCode).toBeNull();
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });
});
