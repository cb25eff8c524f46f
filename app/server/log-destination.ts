import pino from "pino";

/**
 * Log lines held in memory while stdout's reader is behind. Past this, new lines are dropped
 * and counted: a log pipe nobody reads (a stalled collector, a parent that went away without
 * closing it) must cost bounded memory, never the process.
 */
const MAX_HELD_BYTES = 8 * 1024 * 1024;
/** At exit, held lines are written synchronously; a reader that takes no bytes this long gets no more. */
const EXIT_FLUSH_MS = 2_000;

/**
 * stdout for the server's logs, written asynchronously. pino's default writes stdout
 * synchronously and answers a full pipe (EAGAIN) by sleeping the thread 100 ms and retrying,
 * without bound: with the reader stalled, every request, timer and the shutdown backstop
 * stopped with it (a stopped server was found still alive 80 minutes later, its main thread in
 * that sleep). Here a full pipe is retried from a timer, lines are held up to MAX_HELD_BYTES,
 * and only the flush at exit blocks, for at most EXIT_FLUSH_MS.
 */
export function stdoutDestination(fd = 1): pino.DestinationStream {
  // Reading process.stdout puts a pipe or terminal in non-blocking mode (libuv). Left blocking, a
  // full pipe parks a threadpool thread in write(2), and the flush at exit in the kernel, past any deadline.
  if (fd === 1) void process.stdout;
  let exitDeadline = 0;
  let dropped = 0;
  const stream = pino.destination({
    dest: fd,
    sync: false,
    minLength: 0,
    maxLength: MAX_HELD_BYTES,
    // Asynchronous retries wait on a timer, so they may go on; the flush at exit sleeps the thread.
    retryEAGAIN: () => exitDeadline === 0 || Date.now() < exitDeadline,
  });
  stream.on("drop", () => {
    dropped += 1;
  });
  stream.on("write", () => {
    if (dropped === 0) return;
    const count = dropped;
    dropped = 0;
    // Written as pino writes a warn line; the stream's write is not re-entered from its own event.
    queueMicrotask(() => stream.write(`${JSON.stringify({ level: 40, time: Date.now(), service: "cartback", dropped: count, msg: "log lines dropped while stdout was not read" })}\n`));
  });
  // Past EXIT_FLUSH_MS, or a reader gone (pino itself silences EPIPE): the lines are lost, the process is not.
  stream.on("error", () => {});
  const flushSync = stream.flushSync.bind(stream);
  stream.flushSync = () => {
    exitDeadline = Date.now() + EXIT_FLUSH_MS;
    try {
      flushSync();
    } catch {
      // The reader took nothing for EXIT_FLUSH_MS: exit without the rest.
    } finally {
      exitDeadline = 0;
    }
  };
  return stream;
}
