#!/usr/bin/env node
// `npm test`'s first part: typecheck, lint and the app build side by side instead of one after
// another. tsc and the Remix build each use about one core, so on CI's two cores this saves the
// shorter of them. Each one's output is printed whole when it ends, so the logs never interleave
// (the bundler's long success log only on failure, as the suite's own quiet build did); the step
// fails if any of them fails, after all have finished, so every error is shown at once.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
/** The npm scripts, and whether their output is worth printing when they succeed. */
const STEPS = [
  ["typecheck", true],
  ["lint", true],
  ["build", false],
];

function run([script, showOnSuccess]) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(npm, ["run", "--silent", script], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", (error) => (output += `${error.message}\n`));
    child.on("close", (code) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      process.stdout.write(`== npm run ${script}: ${code === 0 ? "ok" : `failed (exit ${code})`} in ${seconds} s\n${code !== 0 || showOnSuccess ? output : ""}`);
      resolve(code === 0);
    });
  });
}

const results = await Promise.all(STEPS.map(run));
process.exitCode = results.every(Boolean) ? 0 : 1;
