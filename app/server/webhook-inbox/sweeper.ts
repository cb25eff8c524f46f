import type { Db } from "@cartback/db";
import type { Logger } from "../logger.ts";
import { deleteRows } from "./store.ts";

/** How long applied rows' ids gather before one DELETE removes them all. */
const GATHER_MS = 20;

/**
 * Deletes applied inbox rows in batches: at 200 webhooks a second a DELETE each would add a
 * commit each. A crash before the delete leaves rows whose second apply changes nothing
 * (their deliveries are claimed), and the drain then deletes them.
 */
export class Sweeper {
  private ids: number[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
  ) {}

  remove(id: number): void {
    this.ids.push(id);
    this.timer ??= setTimeout(() => void this.flush(), GATHER_MS);
  }

  /** Deletes what has gathered; resolves when every delete asked for so far is done. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const ids = this.ids;
    this.ids = [];
    this.flushing = this.flushing.then(async () => {
      try {
        await deleteRows(this.db, ids);
      } catch (error) {
        this.logger.warn({ err: error, rows: ids.length }, "webhook inbox: applied rows not deleted; the drain will find them claimed");
      }
    });
    return this.flushing;
  }
}
