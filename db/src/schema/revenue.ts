import { sql } from "drizzle-orm";
import { bigint, bigserial, boolean, date, index, integer, numeric, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

const at = (name: string) => timestamp(name, { withTimezone: true });
const minor = (name: string) => bigint(name, { mode: "number" });

/**
 * Every followed link of a campaign email (the signed redirect /r/<token>). `first` marks an
 * episode's first click, so "episodes clicked" is a count, not a distinct over history.
 */
export const revenueClicks = pgTable(
  "revenue_clicks",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    shop: text("shop").notNull(),
    sendId: text("send_id").notNull(),
    campaignId: text("campaign_id").notNull(),
    episodeId: text("episode_id").notNull(),
    /** `recovery` (the restore link) or `link` (another rewritten link). */
    kind: text("kind").notNull(),
    url: text("url").notNull(),
    first: boolean("first").notNull(),
    at: at("at").notNull(),
  },
  (t) => [index("revenue_clicks_send").on(t.sendId, t.at), index("revenue_clicks_episode").on(t.episodeId), index("revenue_clicks_shop_at").on(t.shop, t.at)],
);

/**
 * One row per order a shop reported (any source's Charged), once. `rule` says why it was
 * credited to an emailed episode (recovered revenue); `exposure` puts it beside the episode
 * it followed for the holdout comparison (`emailed` or `holdout`), whether credited or not.
 * Money is minor units of `currency`; `refunded_minor` nets refunds in as they arrive.
 */
export const revenueOrders = pgTable(
  "revenue_orders",
  {
    shop: text("shop").notNull(),
    orderId: text("order_id").notNull(),
    profileId: text("profile_id").notNull(),
    orderedAt: at("ordered_at").notNull(),
    totalMinor: minor("total_minor").notNull(),
    currency: text("currency").notNull(),
    refundedMinor: minor("refunded_minor").notNull().default(0),
    /** cart_token | checkout_token | click; null: not credited to any email. */
    rule: text("rule"),
    exposure: text("exposure"),
    campaignId: text("campaign_id"),
    episodeId: text("episode_id"),
    sendId: text("send_id"),
    /** The first order of its episode: converted episodes are counted, not distinct-ed. */
    firstForEpisode: boolean("first_for_episode").notNull().default(false),
    createdAt: at("created_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.shop, t.orderId] }),
    index("revenue_orders_exposed").on(t.shop, t.orderedAt).where(sql`exposure is not null`),
    index("revenue_orders_episode").on(t.shop, t.episodeId).where(sql`episode_id is not null`),
    // Results report's orders by rule (app/server/revenue/rule-counts.ts): credited orders only,
    // index-only (90 days at 1M orders a year: 150-480 ms by bitmap heap scan, 25-36 ms so).
    index("revenue_orders_credited").on(t.shop, t.orderedAt, t.rule, t.totalMinor, t.currency).where(sql`exposure is not null and rule is not null`),
  ],
);

/** Refunds by Shopify's refund id (refunds/create and orders/updated both carry them): netted once. */
export const revenueRefunds = pgTable(
  "revenue_refunds",
  {
    shop: text("shop").notNull(),
    refundId: text("refund_id").notNull(),
    orderId: text("order_id").notNull(),
    amountMinor: minor("amount_minor").notNull(),
    currency: text("currency"),
    at: at("at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.shop, t.refundId] }), index("revenue_refunds_order").on(t.shop, t.orderId)],
);

/**
 * Daily counts per campaign for days no longer changing, in the shop's time zone, so a report
 * over months reads hundreds of rows, not millions (metrics: app/server/revenue/daily.ts).
 */
export const revenueDaily = pgTable(
  "revenue_daily",
  {
    shop: text("shop").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    campaignId: text("campaign_id").notNull(),
    metric: text("metric").notNull(),
    reason: text("reason").notNull().default(""),
    n: bigint("n", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.shop, t.day, t.campaignId, t.metric, t.reason] })],
);

/**
 * Which (shop, day, part) rollups exist: a day with no activity still has its marker. Parts
 * settle apart: `activity` (decisions and clicks, dated by the writer's clock) an hour after the
 * day ends, `outcomes` (episodes and orders, dated by the shop's events) after the live window.
 * `zone` is the shop's time zone the days were cut in: a rollup in another zone is redone.
 */
export const revenueRollupDays = pgTable(
  "revenue_rollup_days",
  {
    shop: text("shop").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    part: text("part").notNull(),
    zone: text("zone").notNull(),
  },
  (t) => [primaryKey({ columns: [t.shop, t.day, t.part] })],
);

/**
 * The A/B report's figures per UTC hour of the send and (campaign, step, variant): recipients
 * (sends with a variant that went out) and their episodes' credited orders, net revenue in the
 * shop's currency and its sum of squares. Kept exact by triggers on campaign_sends,
 * revenue_orders and shops (migration 0025), so a late order or refund lands on its send's hour.
 */
export const revenueAbHours = pgTable(
  "revenue_ab_hours",
  {
    shop: text("shop").notNull(),
    hour: at("hour").notNull(),
    campaignId: text("campaign_id").notNull(),
    step: integer("step").notNull(),
    variant: text("variant").notNull(),
    recipients: bigint("recipients", { mode: "number" }).notNull(),
    converted: bigint("converted", { mode: "number" }).notNull(),
    orders: bigint("orders", { mode: "number" }).notNull(),
    revenueMinor: minor("revenue_minor").notNull(),
    squares: numeric("squares").notNull(),
  },
  (t) => [primaryKey({ columns: [t.shop, t.hour, t.campaignId, t.step, t.variant] })],
);
