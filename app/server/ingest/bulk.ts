import type { Db } from "@cartback/db";
import { sql } from "drizzle-orm";

/**
 * Set-based writes for a batch, each one statement with one JSON parameter
 * (jsonb_to_recordset) instead of thousands of bind parameters: cheaper to build here and to
 * parse on the server, the difference that matters at thousands of events per second.
 */
export interface EventInsert {
  id: string;
  profile_id: string;
  name: string;
  source: string;
  occurred_at: string;
  received_at: string;
  body: unknown;
}

export interface ProfileUpsert {
  id: string;
  created_at: string;
  email: string | null;
  customer_id: string | null;
  phone: string | null;
  first_name: string | null;
  last_name: string | null;
  marketing_consent: string;
  accepts_marketing_at_checkout: boolean | null;
  cart: unknown[];
  cart_tokens: string[];
  checkout_tokens: string[];
  client_ids: string[];
  charges: unknown[];
  cart_changed_at: string | null;
  last_event_at: string | null;
  /** core's ProfileFold, or null to derive from the whole history next time. */
  fold: unknown | null;
}

const DERIVED = [
  "email", "customer_id", "phone", "first_name", "last_name", "marketing_consent", "accepts_marketing_at_checkout",
  "cart", "cart_tokens", "checkout_tokens", "client_ids", "charges", "cart_changed_at", "last_event_at", "fold",
];

const PROFILE_RECORD = `id text, created_at timestamptz, email text, customer_id text, phone text, first_name text,
  last_name text, marketing_consent text, accepts_marketing_at_checkout boolean, cart jsonb, cart_tokens jsonb,
  checkout_tokens jsonb, client_ids jsonb, charges jsonb, cart_changed_at timestamptz, last_event_at timestamptz, fold jsonb`;

/** Writes derived state: new profiles are inserted, known ones updated (created_at kept). */
export async function upsertProfiles(tx: Db, shop: string, rows: ProfileUpsert[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.execute(sql`
    insert into profiles (shop, id, created_at, ${sql.raw(DERIVED.join(", "))}, updated_at)
    select ${shop}, x.id, x.created_at, ${sql.raw(DERIVED.map((c) => `x.${c}`).join(", "))}, now()
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(${sql.raw(PROFILE_RECORD)})
    on conflict (shop, id) do update set ${sql.raw(DERIVED.map((c) => `${c} = excluded.${c}`).join(", "))}, updated_at = now()`);
}

export interface BatchWrite {
  /** Identifier key → owner after this batch (new keys and keys moved by a merge). */
  identities: { shop: string; key: string; profile_id: string }[];
  events: (EventInsert & { shop: string })[];
  /** Derived state of every touched profile; written only when one of its shop's events is new. */
  profiles: (ProfileUpsert & { shop: string })[];
}

/**
 * The identities, events and profiles of a group of batches (one per shop) in one
 * statement (data-modifying CTEs): one round trip instead of three per shop while the
 * ingest locks are held. Returns the events actually inserted (the others were duplicates).
 */
export async function writeBatch(tx: Db, batch: BatchWrite): Promise<{ shop: string; id: string }[]> {
  const result = (await tx.execute(sql`
    with identities as (
      insert into profile_identities (shop, key, profile_id)
      select x.shop, x.key, x.profile_id from jsonb_to_recordset(${JSON.stringify(batch.identities)}::jsonb) as x(shop text, key text, profile_id text)
      on conflict (shop, key) do update set profile_id = excluded.profile_id
      returning 1
    ), inserted as (
      insert into profile_events (shop, id, profile_id, name, source, occurred_at, received_at, body)
      select x.shop, x.id, x.profile_id, x.name, x.source, x.occurred_at, x.received_at, x.body
      from jsonb_to_recordset(${JSON.stringify(batch.events)}::jsonb)
        as x(shop text, id text, profile_id text, name text, source text, occurred_at timestamptz, received_at timestamptz, body jsonb)
      on conflict do nothing
      returning shop, id
    ), derived as (
      insert into profiles (shop, id, created_at, ${sql.raw(DERIVED.join(", "))}, updated_at)
      select x.shop, x.id, x.created_at, ${sql.raw(DERIVED.map((c) => `x.${c}`).join(", "))}, now()
      from jsonb_to_recordset(${JSON.stringify(batch.profiles)}::jsonb) as x(shop text, ${sql.raw(PROFILE_RECORD)})
      where exists (select 1 from inserted i where i.shop = x.shop)
      on conflict (shop, id) do update set ${sql.raw(DERIVED.map((c) => `${c} = excluded.${c}`).join(", "))}, updated_at = now()
      returning 1
    )
    select shop, id from inserted`)) as unknown as { rows: { shop: string; id: string }[] };
  return result.rows;
}
