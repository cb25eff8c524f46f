import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { startSmtpSink } from "../mail/testing.ts";
import { spawnFixtureWorker } from "./process-testing.ts";

// A bench or test run killed before its cleanup used to leave its worker process polling: one
// such worker took part of the next run's backlog from the same database and skewed its figures.
describe("a fixture worker whose parent is gone", () => {
  it("stops when its channel to the parent closes", { timeout: 60_000 }, async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cartback-orphan-"));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const sink = await startSmtpSink({ parse: false });
    onTestFinished(() => sink.close());
    const worker = spawnFixtureWorker({ CARTBACK_DATA_DIR: dir, SMTP_URL: sink.url, CARTBACK_POLL_MS: "50" });
    onTestFinished(() => {
      worker.child.kill("SIGKILL");
    });
    await worker.ready;
    // What the parent's death does to the child's side: the IPC channel closes.
    worker.child.disconnect();
    expect(await worker.exited).toBe(0);
  });
});
