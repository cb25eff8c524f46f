-- The A/B rollup's triggers (0025) read an episode's orders on one side and its sends on the
-- other: a send going out while an order or refund of its episode is being written in another
-- transaction would miss it. Both sides now take the episode's advisory lock, the one
-- recordCharge (app/server/revenue/orders.ts) already holds while it credits an order: orders
-- and refunds exclusively (several episodes in key order), sends shared (many may go out at
-- once), and each reads after its lock, when what the other committed is visible.
CREATE OR REPLACE FUNCTION revenue_ab_episode_lock(p_shop text, p_episode text, p_shared boolean) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF p_shared THEN
    PERFORM pg_advisory_xact_lock_shared(hashtext('order-episode:' || p_shop || ':' || p_episode));
  ELSE
    PERFORM pg_advisory_xact_lock(hashtext('order-episode:' || p_shop || ':' || p_episode));
  END IF;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION revenue_ab_send() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE e record;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.variant IS NOT NULL AND OLD.status = 'sent' THEN
    PERFORM revenue_ab_episode_lock(OLD.shop, OLD.episode_id, true);
    SELECT * INTO e FROM revenue_ab_episode(OLD.shop, OLD.episode_id);
    PERFORM revenue_ab_bump(OLD.shop, OLD.created_at, OLD.campaign_id, OLD.step, OLD.variant, -1, e.orders, e.revenue);
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.variant IS NOT NULL AND NEW.status = 'sent' THEN
    PERFORM revenue_ab_episode_lock(NEW.shop, NEW.episode_id, true);
    SELECT * INTO e FROM revenue_ab_episode(NEW.shop, NEW.episode_id);
    PERFORM revenue_ab_bump(NEW.shop, NEW.created_at, NEW.campaign_id, NEW.step, NEW.variant, 1, e.orders, e.revenue);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION revenue_ab_orders_lock(gone revenue_orders[], came revenue_orders[]) RETURNS void LANGUAGE sql AS $$
  SELECT count(revenue_ab_episode_lock(k.shop, k.episode_id, false)) FROM (
    SELECT DISTINCT r.shop, r.episode_id FROM unnest(gone || came) r WHERE r.rule IS NOT NULL AND r.episode_id IS NOT NULL ORDER BY 1, 2
  ) k
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION revenue_ab_orders() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE gone_rows revenue_orders[] := '{}'; came_rows revenue_orders[] := '{}';
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    gone_rows := array(SELECT ROW(r.*)::revenue_orders FROM gone r);
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    came_rows := array(SELECT ROW(r.*)::revenue_orders FROM came r);
  END IF;
  PERFORM revenue_ab_orders_lock(gone_rows, came_rows);
  PERFORM revenue_ab_orders_changed(gone_rows, came_rows);
  RETURN NULL;
END $$;
