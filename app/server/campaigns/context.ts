import type { Db } from "@cartback/db";
import type { DiscountIssuer } from "../discounts/issue.ts";
import type { Logger } from "../logger.ts";
import type { CampaignDeps } from "./deps.ts";

/** What the scheduler's steps share: the database, collaborators, clock and tuning. */
export interface SchedulerContext {
  db: Db;
  deps: CampaignDeps;
  logger: Logger;
  appUrl: string;
  appSecret: string;
  mailFrom: string | undefined;
  now(): Date;
  /**
   * How long a claimed send belongs to its worker. A worker that dies holding one leaves it
   * for another to resume after this; it must exceed the SMTP timeouts.
   */
  leaseMs: number;
  /** First SMTP retry delay; doubles per attempt. */
  retryBaseMs: number;
  /** Floor of the new-recipients-per-hour breaker (breaker.ts); its default when absent. */
  newRecipientsPerHour?: number;
  /** Render budget of one email at send time; the engine's limit when absent (worker/worker.ts). */
  renderBudgetMs?: number;
  /** Creates steps' discount codes with the Admin API; without it a step's code is never attached. */
  discounts?: DiscountIssuer;
  /** Work only on these shops (tests sharing one PostgreSQL); all shops when absent. */
  onlyShops?: string[];
}
