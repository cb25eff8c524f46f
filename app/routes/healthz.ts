import { conflictRetries } from "@cartback/db";
import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { runningDrains } from "../server/drain-presence.ts";
import { type EventBacklog, eventBacklog } from "../server/event-inbox/store.ts";
import { type Backlog, inboxBacklog } from "../server/webhook-inbox/store.ts";
import { type StuckSends, stuckSends } from "../server/worker/stuck-sends.ts";

/**
 * Liveness and readiness for load balancers and `npm start` checks. "unavailable" with 503 only
 * when this process cannot serve (database down, worker failed); mail stuck behind a relay outage reads
 * "degraded" with 200, since taking the web process out of rotation would stop ingest too.
 */
export async function loader({ context }: LoaderFunctionArgs) {
  const { runtime } = context;
  const started = performance.now();
  let database: { ok: boolean; kind: string; latencyMs?: number; error?: string; conflictRetries?: ReturnType<typeof conflictRetries> };
  let mail: { stuckSends: number; oldestStuckSeconds: number | null } | undefined;
  // Webhooks acknowledged to Shopify and not applied yet (a burst, or rows a crash left).
  let webhookInbox: Backlog | undefined;
  // Storefront and API events acknowledged in a burst and not applied yet.
  let eventInbox: EventBacklog | undefined;
  let drainsElsewhere: number | undefined;
  try {
    await runtime.database.ping();
    // Lost deadlocks since start: each was run again, but any at all means a lock-order bug.
    database = { ok: true, kind: runtime.database.kind, latencyMs: Math.round((performance.now() - started) * 10) / 10, conflictRetries: conflictRetries() };
    const { mode } = runtime.config;
    const stuck: StuckSends = await stuckSends(runtime.database.db, new Date(), mode.type === "self-hosted" ? mode.shop : undefined);
    mail = { stuckSends: stuck.count, oldestStuckSeconds: stuck.oldestSeconds };
    webhookInbox = await inboxBacklog(runtime.database.db, mode.type === "self-hosted" ? mode.shop : undefined);
    eventInbox = await eventBacklog(runtime.database.db, mode.type === "self-hosted" ? mode.shop : undefined);
    // A web process without a worker: whether any worker's drains are running (bursts are queued for them only then).
    if (runtime.config.worker === "off") drainsElsewhere = await runningDrains(runtime.database);
  } catch (error) {
    // The driver's message can name hosts, users or paths: logs only.
    runtime.logger.error({ err: error }, "healthz: database check failed");
    database = { ok: false, kind: runtime.database.kind, error: "unreachable" };
  }
  const serving = database.ok && runtime.worker.state !== "failed";
  const ok = serving && mail?.stuckSends === 0;
  return json(
    {
      status: !serving ? "unavailable" : ok ? "ok" : "degraded",
      mode: runtime.config.mode.type,
      database,
      worker: drainsElsewhere === undefined ? runtime.worker : { ...runtime.worker, drainsElsewhere },
      mail,
      webhookInbox,
      eventInbox,
      uptimeSeconds: Math.round((Date.now() - runtime.startedAt.getTime()) / 1000),
    },
    { status: serving ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}
