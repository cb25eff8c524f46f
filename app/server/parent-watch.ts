/**
 * `npm start` runs `sh -c "node scripts/start.mjs"`. A SIGTERM to npm (a supervisor, a
 * container's stop) reaches that shell, and Debian's sh (dash) exits without passing it on: node
 * is left running under another parent, still answering. So the process watches its parent, and
 * once it has been re-parented (the parent it started under has exited), it stops as it does on
 * SIGTERM: the current work finishes, nothing acknowledged is lost.
 *
 * Started as a child of PID 1 (a container's command, a supervisor running node itself), there is
 * nothing to watch. On Windows a process is not re-parented, so its ppid says nothing.
 */
export function stopWhenParentExits(stop: (reason: string) => void, everyMs = 1_000): void {
  const parent = process.ppid;
  if (parent <= 1 || process.platform === "win32") return;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    stop("parent exited");
  }, everyMs);
  timer.unref();
}
