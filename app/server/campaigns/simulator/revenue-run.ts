import type { Db } from "@cartback/db";
import { campaignDecisions, campaignEpisodes, profileIdentities } from "@cartback/db";
import { and, eq, like } from "drizzle-orm";
import { action as ordersAction } from "../../../routes/webhooks.orders.ts";
import { action as refundsAction } from "../../../routes/webhooks.refunds.ts";
import { ingest } from "../../ingest/service.ts";
import { webhookRequest } from "../../ingest/testing.ts";
import { followClick } from "../../revenue/clicks.ts";
import type { Runtime } from "../../runtime.ts";
import { routeArgs } from "../../testing.ts";
import { PRICE_MINOR, type RevenueJourney } from "./revenue-journeys.ts";
import type { Group } from "./revenue-reference.ts";
import { PUBLIC_CODE, orderPayload, refundPayload } from "./revenue-webhooks.ts";

/**
 * Drives revenue journeys through Cartback's own doors: the events API for the carts and
 * identities, the click redirect's code for the restore link read from the email as the
 * relay received it, signed webhooks through their routes for orders and refunds.
 */
export async function abandonCarts(runtime: Runtime, shop: string, journeys: RevenueJourney[], t0: number, receivedAt: Date): Promise<void> {
  const items = journeys.flatMap((j) => [
    { id: `${j.key}-id`, name: "Identify", clientId: j.clientId, email: j.email, marketingConsent: "subscribed", via: "form", occurredAt: new Date(t0 + j.startMs).toISOString() },
    ...j.lines.map((l, i) => ({
      id: `${j.key}-add${i}`, name: "Added to Cart", clientId: j.clientId, cartToken: j.cartToken, variantId: l.variantId, quantity: l.quantity,
      priceMinor: PRICE_MINOR, currency: "USD", occurredAt: new Date(t0 + j.startMs + 1_000 + i * 11_000).toISOString(),
    })),
  ]);
  for (let i = 0; i < items.length; i += 500) {
    const outcome = await ingest(runtime, { shop, source: "api", items: items.slice(i, i + 500), receivedAt });
    if (outcome.type !== "ok" || outcome.summary.rejected > 0) throw new Error(`ingest refused: ${JSON.stringify(outcome).slice(0, 500)}`);
  }
}

/** The restore link of an email: the `/r/<token>` whose signed payload says kind "recovery". */
export function recoveryToken(html: string): string | null {
  for (const match of html.matchAll(/\/r\/([\w-]+)\.([\w-]+)/g)) {
    try {
      const payload = JSON.parse(Buffer.from(match[1]!, "base64url").toString("utf8")) as { k?: unknown };
      if (payload.k === "recovery") return `${match[1]}.${match[2]}`;
    } catch {
      // Not a click link.
    }
  }
  return null;
}

/** The discount code an email gives (the default template: "with code <strong>CODE</strong>"). */
export function emailedCode(html: string): string | null {
  return /with code <strong>([A-Z0-9-]+)<\/strong>/.exec(html)?.[1] ?? null;
}

/** Which journeys the decisions held out, by the email of the decision's profile. */
export async function heldOutEmails(db: Db, shop: string): Promise<string[]> {
  const rows = await db
    .select({ key: profileIdentities.key })
    .from(campaignDecisions)
    .innerJoin(profileIdentities, and(eq(profileIdentities.shop, campaignDecisions.shop), eq(profileIdentities.profileId, campaignDecisions.profileId)))
    .where(and(eq(campaignDecisions.shop, shop), eq(campaignDecisions.reason, "holdout"), like(profileIdentities.key, "email:%")));
  return rows.map((r) => r.key.slice("email:".length));
}

type Step = { at: number; order: number; run: () => Promise<void> };

async function webhook(runtime: Runtime, shop: string, route: "orders" | "refunds", topic: string, raw: string, webhookId: string): Promise<void> {
  const request = webhookRequest(route, topic, shop, raw, { webhookId });
  const action = route === "orders" ? ordersAction : refundsAction;
  const response = await action(routeArgs(runtime, request) as never);
  if (response.status !== 200) throw new Error(`${topic} answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
}

/** Clicks, orders and refunds in the order they happen (a refund marked `first` arrives before its order). */
export interface Emailed {
  /** The restore link's click token and the email's discount code, by address. */
  tokens: Map<string, string>;
  codes: Map<string, string | null>;
}

export async function playRevenue(runtime: Runtime, shop: string, journeys: RevenueJourney[], emailed: Emailed, groupOf: (j: RevenueJourney) => Group | undefined, s: number): Promise<{ clicks: number }> {
  const steps: Step[] = [];
  const iso = (ms: number) => new Date(s + ms).toISOString();
  let clicks = 0;
  for (const j of journeys) {
    const token = emailed.tokens.get(j.email);
    if (groupOf(j) === "emailed" && j.clickAtMs !== null && token) {
      steps.push({ at: j.clickAtMs, order: 0, run: async () => {
        const outcome = await followClick(runtime.database.db, runtime.appSecret, token, new Date(s + j.clickAtMs!));
        if (outcome.type !== "redirect" || !outcome.recorded) throw new Error(`${j.key}: click ${JSON.stringify(outcome)}`);
        clicks++;
      } });
    }
    const o = j.order;
    if (!o) continue;
    const code = j.action !== "code" ? null : groupOf(j) === "emailed" ? (emailed.codes.get(j.email) ?? null) : PUBLIC_CODE;
    const raw = orderPayload(j, o, iso(o.atMs), {}, code);
    steps.push({ at: o.atMs, order: 1, run: () => webhook(runtime, shop, "orders", "orders/create", raw, `wh-${o.orderId}`) });
    if (o.reportedTwice) steps.push({ at: o.atMs + 30_000, order: 1, run: () => webhook(runtime, shop, "orders", "orders/paid", raw, `wh-${o.orderId}-paid`) });
    if (o.refund) {
      const refund = refundPayload(j, o, iso(o.atMs), iso(o.refund.atMs));
      steps.push({ at: o.refund.first ? o.atMs - 1 : o.refund.atMs, order: 0, run: () => webhook(runtime, shop, "refunds", o.refund!.topic, refund, `wh-r${o.refund!.refundId}`) });
    }
  }
  steps.sort((a, b) => a.at - b.at || a.order - b.order);
  for (const step of steps) await step.run();
  return { clicks };
}

/** For a failure message: each address's episodes and their decisions, as the database has them. */
export async function episodeStates(db: Db, shop: string, emails: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const email of emails) {
    const [identity] = await db.select({ profileId: profileIdentities.profileId }).from(profileIdentities).where(and(eq(profileIdentities.shop, shop), eq(profileIdentities.key, `email:${email}`)));
    if (!identity) {
      out.push(`${email}: no profile`);
      continue;
    }
    const episodes = await db.select().from(campaignEpisodes).where(and(eq(campaignEpisodes.shop, shop), eq(campaignEpisodes.profileId, identity.profileId)));
    const decisions = await db.select().from(campaignDecisions).where(and(eq(campaignDecisions.shop, shop), eq(campaignDecisions.profileId, identity.profileId)));
    const e = episodes.map((x) => `${x.status}/${x.closedReason ?? ""} due ${x.dueAt?.toISOString() ?? "-"}`).join("; ");
    const d = decisions.map((x) => `${x.outcome}:${x.reason ?? ""}${x.detail ? ` (${x.detail.slice(0, 80)})` : ""} @ ${x.at.toISOString()}`).join("; ");
    out.push(`${email}: episodes [${e}] decisions [${d}]`);
  }
  return out;
}
