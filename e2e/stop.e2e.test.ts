import { readdirSync, readFileSync } from "node:fs";
import { startAppProcess } from "@cartback/testing";
import { describe, expect, it } from "vitest";

// A supervisor or a container stops `npm start` with SIGTERM to npm. npm passes it to the shell
// it ran the script in, and Debian's sh exits without passing it on: the server must still stop,
// and stop cleanly, rather than go on answering under another parent.

/** The pid of the node process running scripts/start.mjs for this data directory, or null. */
function serverPid(dataDir: string): number | null {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (argv[1] !== "scripts/start.mjs") continue;
      if (readFileSync(`/proc/${entry}/environ`, "utf8").split("\0").includes(`CARTBACK_DATA_DIR=${dataDir}`)) return Number(entry);
    } catch {
      // The process ended meanwhile, or is not ours to read.
    }
  }
  return null;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("npm start under a supervisor", () => {
  it("stops cleanly when npm itself gets SIGTERM, though the shell between them does not pass it on", { timeout: 120_000 }, async () => {
    const app = await startAppProcess({ shop: null, launcher: "npm", env: { LOG_LEVEL: "info" } });
    const pid = serverPid(app.dataDir);
    try {
      expect(pid, "the server's own node process").not.toBeNull();
      expect((await fetch(`${app.url}/healthz`)).ok).toBe(true);
      app.child.kill("SIGTERM");
      for (const deadline = Date.now() + 20_000; alive(pid!) && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 100));
      const { stdout } = app.output();
      expect(alive(pid!), `still running 20 s after npm got SIGTERM\n${stdout.slice(-2000)}`).toBe(false);
      expect(stdout).toMatch(/"signal":"parent exited"[^\n]*"msg":"shutting down"|"msg":"shutting down"[^\n]*"signal":"parent exited"/);
      await expect(fetch(`${app.url}/healthz`)).rejects.toThrow();
    } finally {
      if (pid !== null && alive(pid)) process.kill(pid, "SIGKILL");
      await app.stop();
    }
  });
});
