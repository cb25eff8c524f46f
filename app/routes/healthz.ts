import { json, type LoaderFunctionArgs } from "@remix-run/node";

/** Liveness and readiness for load balancers and `npm start` checks: 503 when the database is down. */
export async function loader({ context }: LoaderFunctionArgs) {
  const { runtime } = context;
  const started = performance.now();
  let database: { ok: boolean; kind: string; latencyMs?: number; error?: string };
  try {
    await runtime.database.ping();
    database = { ok: true, kind: runtime.database.kind, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch (error) {
    database = { ok: false, kind: runtime.database.kind, error: error instanceof Error ? error.message : "unreachable" };
  }
  const workerOk = runtime.worker.state !== "failed";
  const ok = database.ok && workerOk;
  return json(
    {
      status: ok ? "ok" : "degraded",
      mode: runtime.config.mode.type,
      database,
      worker: runtime.worker,
      uptimeSeconds: Math.round((Date.now() - runtime.startedAt.getTime()) / 1000),
    },
    { status: ok ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}
