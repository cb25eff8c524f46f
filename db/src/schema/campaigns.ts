import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

const at = (name: string) => timestamp(name, { withTimezone: true });

/** Campaign definitions. Steps and settings are validated by @cartback/core/campaign/campaign. */
export const campaigns = pgTable(
  "campaigns",
  {
    id: text("id").primaryKey(),
    shop: text("shop").notNull(),
    name: text("name").notNull(),
    active: boolean("active").notNull().default(true),
    steps: jsonb("steps").$type<unknown[]>().notNull(),
    settings: jsonb("settings").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: at("created_at").notNull().defaultNow(),
    updatedAt: at("updated_at").notNull().defaultNow(),
    /** Deleted by the merchant: no longer listed or run; the row stays so Results keeps its name. */
    deletedAt: at("deleted_at"),
  },
  (t) => [index("campaigns_shop_idx").on(t.shop)],
);

/**
 * Abandonment episodes, and the scheduler's due work at the same time: a row with
 * status 'open' and a due_at is a step waiting to be decided. Debounce is an update of
 * due_at; workers claim due rows with FOR UPDATE SKIP LOCKED.
 */
export const campaignEpisodes = pgTable(
  "campaign_episodes",
  {
    id: text("id").primaryKey(),
    shop: text("shop").notNull(),
    campaignId: text("campaign_id").notNull(),
    profileId: text("profile_id").notNull(),
    /** open | waiting (unreachable at due time: re-armed by identification, due again at max age) | closed */
    status: text("status").notNull(),
    startedAt: at("started_at").notNull(),
    lastChangeAt: at("last_change_at").notNull(),
    nextStep: integer("next_step").notNull().default(0),
    dueAt: at("due_at"),
    closedAt: at("closed_at"),
    closedReason: text("closed_reason"),
    updatedAt: at("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("campaign_episodes_one_open").on(t.shop, t.campaignId, t.profileId).where(sql`status <> 'closed'`),
    index("campaign_episodes_due").on(t.dueAt).where(sql`status <> 'closed'`),
    index("campaign_episodes_profile").on(t.shop, t.profileId, t.startedAt),
    // Results report: episodes started per day (app/server/revenue/daily.ts).
    // campaign_id in the key: the report's day counts are index-only scans.
    index("campaign_episodes_shop_started").on(t.shop, t.startedAt, t.campaignId),
  ],
);

/**
 * The outbox: one row per (campaign, episode, step), inserted before the transport is
 * called. status: sending (leased until next_attempt_at) | retry (after a 4xx, at
 * next_attempt_at) | sent | failed | cancelled.
 */
export const campaignSends = pgTable(
  "campaign_sends",
  {
    id: text("id").primaryKey(),
    shop: text("shop").notNull(),
    campaignId: text("campaign_id").notNull(),
    episodeId: text("episode_id").notNull(),
    profileId: text("profile_id").notNull(),
    step: integer("step").notNull(),
    /** A/B test: "A" or "B" when the step has a variant B (core campaign/variant.ts); null otherwise. */
    variant: text("variant"),
    idempotencyKey: text("idempotency_key").notNull(),
    status: text("status").notNull(),
    toEmail: text("to_email").notNull(),
    message: jsonb("message").$type<Record<string, unknown>>().notNull(),
    raw: text("raw"),
    transport: text("transport"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: at("next_attempt_at"),
    dueAt: at("due_at").notNull(),
    lastError: text("last_error"),
    createdAt: at("created_at").notNull().defaultNow(),
    sentAt: at("sent_at"),
    /**
     * The step's discount for this email (app/server/discounts): planned at compose time,
     * created with the Admin API right before delivery, or failed with the reason.
     */
    discount: jsonb("discount").$type<Record<string, unknown>>(),
    /** Set once Shopify holds the code: what attribution matches an order's discount codes against. */
    discountCode: text("discount_code"),
  },
  (t) => [
    uniqueIndex("campaign_sends_idempotency").on(t.idempotencyKey),
    index("campaign_sends_discount_code").on(t.shop, t.discountCode).where(sql`discount_code is not null`),
    index("campaign_sends_pending").on(t.nextAttemptAt).where(sql`status in ('sending', 'retry')`),
    index("campaign_sends_profile").on(t.shop, t.profileId, t.createdAt),
    index("campaign_sends_shop").on(t.shop, t.createdAt),
    // A/B report (app/server/revenue/ab-report.ts): only A/B sends that went out, with every column it reads.
    index("campaign_sends_ab").on(t.shop, t.createdAt, t.campaignId, t.step, t.variant, t.episodeId).where(sql`variant is not null and status = 'sent'`),
    // The A/B rollup's triggers (migration 0025): an episode's tested sends, when its orders change.
    index("campaign_sends_ab_episode").on(t.shop, t.episodeId).where(sql`variant is not null`),
  ],
);

/** Every evaluation of a due step: the answer to "why didn't this send?". */
export const campaignDecisions = pgTable(
  "campaign_decisions",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    shop: text("shop").notNull(),
    profileId: text("profile_id").notNull(),
    campaignId: text("campaign_id").notNull(),
    episodeId: text("episode_id").notNull(),
    step: integer("step").notNull(),
    /** The step's A/B variant ("A" | "B") when it has one: set on sends' decisions. */
    variant: text("variant"),
    /** sent | skipped | waiting | deferred | failed | retrying */
    outcome: text("outcome").notNull(),
    reason: text("reason"),
    until: at("until"),
    detail: text("detail"),
    at: at("at").notNull(),
  },
  (t) => [
    index("campaign_decisions_profile").on(t.shop, t.profileId, t.at),
    index("campaign_decisions_episode").on(t.episodeId),
    // Results report: decisions per day (app/server/revenue/daily.ts).
    // Only what the report counts, with every column it groups by: index-only scans.
    index("campaign_decisions_shop_at").on(t.shop, t.at, t.campaignId, t.outcome, t.step, t.reason).where(sql`outcome in ('sent', 'skipped')`),
  ],
);

/** Addresses a shop must not email: unsubscribed, hard-bounced or added by the merchant. */
export const suppressions = pgTable(
  "suppressions",
  {
    shop: text("shop").notNull(),
    /** Lower-cased. */
    email: text("email").notNull(),
    reason: text("reason").notNull(),
    detail: text("detail"),
    createdAt: at("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.shop, t.email] })],
);
