// Child of log-destination.test.ts: logs LINES lines through the server's logger (its default
// stdout destination) to a pipe the parent is not reading, says so over IPC, then exits when told.
import { createLogger } from "./logger.ts";

const LINES = Number(process.argv[2] ?? 20_000);
const logger = createLogger({ level: "info" });
const padding = "x".repeat(900);
for (let seq = 0; seq < LINES; seq++) logger.info({ seq, padding }, "flood");
// A timer firing proves the event loop was not held by a full pipe.
setTimeout(() => process.send!({ logged: LINES }), 10);
process.on("message", () => process.exit(0));
