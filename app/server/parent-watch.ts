/**
 * `npm start` runs `sh -c "node scripts/start.mjs"`. A SIGTERM to npm (a supervisor, a
 * container's stop) reaches that shell, and Debian's sh (dash) exits without passing it on: node
 * is left running under another parent, still answering. So the process watches its parent, and
 * once it has been re-parented (the parent it started under has exited), it stops as it does on
 * SIGTERM: the current work finishes, nothing acknowledged is lost.
 *
 * Only when npm started it (npm_lifecycle_event is set): run as `node scripts/start.mjs` under a
 * supervisor, `nohup` or a launcher that forks and exits, outliving the parent is meant. On
 * Windows a process is not re-parented, so its ppid says nothing.
 */
export function stopWhenParentExits(stop: (reason: string) => void, everyMs = 1_000): void {
  const parent = process.ppid;
  // Only under npm: a process started some other way may outlive its launcher on purpose (nohup, a forking launcher).
  if (!process.env.npm_lifecycle_event || parent <= 1 || process.platform === "win32") return;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    stop("parent exited");
  }, everyMs);
  timer.unref();
}
