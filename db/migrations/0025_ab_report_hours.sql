CREATE TABLE "revenue_ab_hours" (
	"shop" text NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"campaign_id" text NOT NULL,
	"step" integer NOT NULL,
	"variant" text NOT NULL,
	"recipients" bigint NOT NULL,
	"converted" bigint NOT NULL,
	"orders" bigint NOT NULL,
	"revenue_minor" bigint NOT NULL,
	"squares" numeric NOT NULL,
	CONSTRAINT "revenue_ab_hours_shop_hour_campaign_id_step_variant_pk" PRIMARY KEY("shop","hour","campaign_id","step","variant")
);
--> statement-breakpoint
CREATE INDEX "campaign_sends_ab_episode" ON "campaign_sends" USING btree ("shop","episode_id") WHERE variant is not null;
--> statement-breakpoint
-- The A/B report's rollup (app/server/revenue/ab-report.ts) is kept by triggers, so every writer
-- of sends, orders and refunds (sender, attribution, refund webhooks, tests, simulator) keeps it
-- exact without knowing it. An episode's outcome: its credited orders (any currency) and their
-- net revenue in the shop's currency, the same definition as the from-scratch query.
CREATE FUNCTION revenue_ab_episode(p_shop text, p_episode text, OUT orders bigint, OUT revenue bigint) LANGUAGE sql STABLE AS $$
  SELECT count(*), coalesce(sum(o.total_minor - o.refunded_minor) FILTER (WHERE o.currency = (SELECT s.currency FROM shops s WHERE s.shop = p_shop)), 0)::bigint
    FROM revenue_orders o WHERE o.shop = p_shop AND o.episode_id = p_episode AND o.rule IS NOT NULL
$$;
--> statement-breakpoint
-- Hours since 2000-01-01 UTC: every time zone's midnight is on a quarter hour, so a period of
-- local days is whole hours plus at most two partial hours, which the report reads from sends.
CREATE FUNCTION revenue_ab_hour(t timestamptz) RETURNS timestamptz LANGUAGE sql IMMUTABLE AS $$
  SELECT date_bin('1 hour', t, timestamptz '2000-01-01 00:00:00+00')
$$;
--> statement-breakpoint
-- Adds (n = 1) or takes away (n = -1) one recipient whose episode has these orders and revenue.
CREATE FUNCTION revenue_ab_bump(p_shop text, p_at timestamptz, p_campaign text, p_step integer, p_variant text, n integer, p_orders bigint, p_revenue bigint) RETURNS void LANGUAGE sql AS $$
  INSERT INTO revenue_ab_hours AS h (shop, hour, campaign_id, step, variant, recipients, converted, orders, revenue_minor, squares)
  VALUES (p_shop, revenue_ab_hour(p_at), p_campaign, p_step, p_variant, n, CASE WHEN p_orders > 0 THEN n ELSE 0 END, n * p_orders, n * p_revenue, n * p_revenue::numeric * p_revenue)
  ON CONFLICT (shop, hour, campaign_id, step, variant) DO UPDATE SET recipients = h.recipients + excluded.recipients,
    converted = h.converted + excluded.converted, orders = h.orders + excluded.orders,
    revenue_minor = h.revenue_minor + excluded.revenue_minor, squares = h.squares + excluded.squares
$$;
--> statement-breakpoint
-- A send counts while it has a variant and status 'sent'; a change of either moves it in or out.
CREATE FUNCTION revenue_ab_send() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE e record;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.variant IS NOT NULL AND OLD.status = 'sent' THEN
    SELECT * INTO e FROM revenue_ab_episode(OLD.shop, OLD.episode_id);
    PERFORM revenue_ab_bump(OLD.shop, OLD.created_at, OLD.campaign_id, OLD.step, OLD.variant, -1, e.orders, e.revenue);
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.variant IS NOT NULL AND NEW.status = 'sent' THEN
    SELECT * INTO e FROM revenue_ab_episode(NEW.shop, NEW.episode_id);
    PERFORM revenue_ab_bump(NEW.shop, NEW.created_at, NEW.campaign_id, NEW.step, NEW.variant, 1, e.orders, e.revenue);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER revenue_ab_send AFTER INSERT OR DELETE OR UPDATE OF shop, episode_id, campaign_id, step, variant, status, created_at ON campaign_sends FOR EACH ROW EXECUTE FUNCTION revenue_ab_send();
--> statement-breakpoint
-- Orders change per statement (transition tables), not per row: a statement that writes two
-- orders of one episode sees both in the episode's totals, so its "before" is the totals now
-- minus everything the statement added plus everything it took away, per episode.
CREATE FUNCTION revenue_ab_orders_changed(gone revenue_orders[], came revenue_orders[]) RETURNS void LANGUAGE sql AS $$
  WITH changed AS (
    SELECT r.shop, r.episode_id, -1 AS n, r.total_minor - r.refunded_minor AS net, r.currency FROM unnest(gone) r WHERE r.rule IS NOT NULL AND r.episode_id IS NOT NULL
    UNION ALL
    SELECT r.shop, r.episode_id, 1, r.total_minor - r.refunded_minor, r.currency FROM unnest(came) r WHERE r.rule IS NOT NULL AND r.episode_id IS NOT NULL
  ), delta AS (
    SELECT c.shop, c.episode_id, sum(c.n) AS orders, coalesce(sum(c.n * c.net) FILTER (WHERE c.currency = s.currency), 0) AS revenue
      FROM changed c LEFT JOIN shops s ON s.shop = c.shop GROUP BY c.shop, c.episode_id
  ), episodes AS (
    SELECT d.shop, d.episode_id, t.orders - d.orders AS orders_before, t.revenue - d.revenue AS revenue_before, t.orders AS orders_after, t.revenue AS revenue_after
      FROM delta d CROSS JOIN LATERAL revenue_ab_episode(d.shop, d.episode_id) t WHERE d.orders <> 0 OR d.revenue <> 0
  )
  INSERT INTO revenue_ab_hours AS h (shop, hour, campaign_id, step, variant, recipients, converted, orders, revenue_minor, squares)
  SELECT s.shop, revenue_ab_hour(s.created_at), s.campaign_id, s.step, s.variant, 0,
    sum((e.orders_after > 0)::int - (e.orders_before > 0)::int), sum(e.orders_after - e.orders_before), sum(e.revenue_after - e.revenue_before),
    sum(e.revenue_after::numeric * e.revenue_after - e.revenue_before::numeric * e.revenue_before)
    FROM episodes e JOIN campaign_sends s ON s.shop = e.shop AND s.episode_id = e.episode_id AND s.variant IS NOT NULL AND s.status = 'sent'
    GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (shop, hour, campaign_id, step, variant) DO UPDATE SET converted = h.converted + excluded.converted,
    orders = h.orders + excluded.orders, revenue_minor = h.revenue_minor + excluded.revenue_minor, squares = h.squares + excluded.squares
$$;
--> statement-breakpoint
CREATE FUNCTION revenue_ab_orders() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM revenue_ab_orders_changed('{}', array(SELECT ROW(r.*)::revenue_orders FROM came r));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM revenue_ab_orders_changed(array(SELECT ROW(r.*)::revenue_orders FROM gone r), '{}');
  ELSE
    PERFORM revenue_ab_orders_changed(array(SELECT ROW(r.*)::revenue_orders FROM gone r), array(SELECT ROW(r.*)::revenue_orders FROM came r));
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER revenue_ab_orders_insert AFTER INSERT ON revenue_orders REFERENCING NEW TABLE AS came FOR EACH STATEMENT EXECUTE FUNCTION revenue_ab_orders();
--> statement-breakpoint
CREATE TRIGGER revenue_ab_orders_update AFTER UPDATE ON revenue_orders REFERENCING OLD TABLE AS gone NEW TABLE AS came FOR EACH STATEMENT EXECUTE FUNCTION revenue_ab_orders();
--> statement-breakpoint
CREATE TRIGGER revenue_ab_orders_delete AFTER DELETE ON revenue_orders REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION revenue_ab_orders();
--> statement-breakpoint
-- The whole shop again, from its sends and orders: on a change of the shop's currency (revenue
-- counts orders in it) and for bulk loads written with the triggers off (the bench's seed).
CREATE FUNCTION revenue_ab_rebuild(p_shop text) RETURNS void LANGUAGE sql AS $$
  DELETE FROM revenue_ab_hours WHERE shop = p_shop;
  INSERT INTO revenue_ab_hours (shop, hour, campaign_id, step, variant, recipients, converted, orders, revenue_minor, squares)
  WITH credited AS (
    SELECT o.episode_id, count(*) AS orders, coalesce(sum(o.total_minor - o.refunded_minor) FILTER (WHERE o.currency = (SELECT x.currency FROM shops x WHERE x.shop = p_shop)), 0) AS revenue
      FROM revenue_orders o WHERE o.shop = p_shop AND o.episode_id IS NOT NULL AND o.rule IS NOT NULL GROUP BY o.episode_id
  )
  SELECT s.shop, revenue_ab_hour(s.created_at), s.campaign_id, s.step, s.variant, count(*), count(c.episode_id), coalesce(sum(c.orders), 0),
    coalesce(sum(c.revenue), 0), coalesce(sum(c.revenue::numeric * c.revenue), 0)
    FROM campaign_sends s LEFT JOIN credited c ON c.episode_id = s.episode_id
    WHERE s.shop = p_shop AND s.variant IS NOT NULL AND s.status = 'sent'
    GROUP BY 1, 2, 3, 4, 5
$$;
--> statement-breakpoint
CREATE FUNCTION revenue_ab_shop() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' OR OLD.currency IS DISTINCT FROM NEW.currency THEN
    PERFORM revenue_ab_rebuild(NEW.shop);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER revenue_ab_shop AFTER INSERT OR UPDATE OF currency ON shops FOR EACH ROW EXECUTE FUNCTION revenue_ab_shop();
--> statement-breakpoint
-- Sends as they were before this migration.
SELECT revenue_ab_rebuild(shop) FROM shops;
