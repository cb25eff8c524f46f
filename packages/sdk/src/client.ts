import { observeCart } from "./cart/observe.ts";
import { type CartState, bareCartToken, cartSignature, diffCarts, parseCartJs } from "./cart/state.ts";
import { ConsentGate, type ConsentRequirement, shopifyGlobal } from "./consent.ts";
import { DEFAULT_DELIVERY, Delivery } from "./delivery.ts";
import * as events from "./events.ts";
import { uuid } from "./ids.ts";
import { LocalValues } from "./local.ts";
import { PersistentQueue } from "./queue.ts";
import type { AttemptOutcome } from "./retry.ts";
import { type Store, idbStore } from "./store.ts";

export interface Config {
  shop: string;
  /** Same-origin app proxy path; Shopify signs what it forwards. */
  endpoint?: string;
  consent?: ConsentRequirement;
  /** The logged-in customer, as the app embed reads it from Liquid. */
  customer?: { id?: string | number | null; email?: string | null } | null;
  /** The cart as the page was rendered: lets a page load skip /cart.js when nothing changed. */
  cart?: { token: string; items: Array<[string | number, number]> } | null;
  queueCap?: number;
  store?: Store;
}

export class Client {
  private readonly local: LocalValues;
  private readonly queue: PersistentQueue;
  private readonly delivery: Delivery;
  private readonly loaded: Promise<void>;
  private readonly fetch: typeof fetch;
  private readonly root: string;
  private who: events.Identity;
  private syncing: Promise<void> | null = null;
  private syncAgain = false;

  constructor(
    win: Window & typeof globalThis,
    private readonly config: Config,
  ) {
    this.fetch = win.fetch.bind(win);
    this.root = shopifyGlobal(win)?.routes?.root || "/";
    this.local = new LocalValues(win, `cartback:v1:${config.shop}:`);
    let clientId = this.local.get("client");
    if (clientId === null) {
      clientId = uuid();
      this.local.set("client", clientId);
    }
    this.who = { clientId };
    const customerId = config.customer?.id;
    const email = config.customer?.email;
    if (customerId) this.who.customerId = String(customerId);
    if (email) this.who.email = email;
    this.queue = new PersistentQueue(config.store || idbStore("cartback-v1"), config.shop, config.queueCap || 500);
    const gate = new ConsentGate(win, config.consent || "analytics", () => this.delivery.resume());
    this.delivery = new Delivery(this.queue, {
      ...DEFAULT_DELIVERY,
      send: (body) => this.send(body),
      canSend: () => gate.allowed(),
      isOnline: () => win.navigator.onLine !== false,
      now: () => Date.now(),
      random: () => Math.random(),
    });
    this.loaded = this.queue.load().then(
      () => this.delivery.schedule(0),
      () => undefined,
    );
    win.addEventListener("pagehide", () => this.delivery.flushOnUnload());
    win.addEventListener("online", () => this.delivery.resume());
    win.document.addEventListener("visibilitychange", () => {
      if (win.document.visibilityState === "hidden") this.delivery.flushOnUnload();
      else void this.queue.load().then(() => this.delivery.schedule(0));
    });
    observeCart(
      win,
      this.root,
      () => void this.syncCart(),
      () => this.local.set("pending", "1"),
    );
    this.onLoad();
  }

  track(event: events.TrackedEvent): void {
    void this.enqueue(events.tracked(event, uuid(), new Date(), this.who));
  }

  identify(traits: events.Traits, via: "login" | "form" | "api" = "form"): void {
    if (traits.customerId) this.who.customerId = traits.customerId;
    if (traits.email) this.who.email = traits.email;
    void this.enqueue(events.identify(uuid(), new Date(), this.who, traits, via));
  }

  flush(): Promise<void> {
    return this.loaded.then(() => this.delivery.flush());
  }

  /** A new anonymous visitor (after logout): new client id, forget the cart and identity seen. */
  reset(): void {
    const clientId = uuid();
    this.local.set("client", clientId);
    this.local.set("cart", null);
    this.local.set("identified", null);
    this.who = { clientId };
  }

  /** Counters for support and tests: what waits, what was dropped and why. */
  stats(): { queued: number; dropped: Readonly<Record<string, number>> } {
    return { queued: this.queue.size, dropped: { ...this.queue.dropped } };
  }

  private onLoad(): void {
    const customerKey = `${this.who.customerId || ""}|${this.who.email || ""}`;
    if (customerKey !== "|" && this.local.get("identified") !== customerKey) {
      this.identify({ customerId: this.who.customerId, email: this.who.email }, "login");
      this.local.set("identified", customerKey);
    }
    const rendered = this.config.cart;
    const pending = this.local.get("pending") !== null;
    if (rendered && !pending) {
      const lines = rendered.items.map(([variantId, quantity]) => ({ variantId: String(variantId), quantity }));
      const seen = cartSignature(this.storedCart());
      if (seen === cartSignature({ token: bareCartToken(rendered.token), lines })) return;
      // First visit with an empty cart: nothing to report.
      if (seen === "" && lines.length === 0) return;
    }
    void this.syncCart();
  }

  /** One /cart.js read per burst of mutations; a mutation during a read triggers one more. */
  private syncCart(): Promise<void> {
    if (this.syncing) {
      this.syncAgain = true;
      return this.syncing;
    }
    this.syncing = this.readCart().finally(() => {
      this.syncing = null;
      if (this.syncAgain) {
        this.syncAgain = false;
        void this.syncCart();
      }
    });
    return this.syncing;
  }

  private async readCart(): Promise<void> {
    let next: CartState | null = null;
    try {
      const response = await this.fetch(`${this.root}cart.js`, { credentials: "same-origin", cache: "no-store" });
      if (response.ok) next = parseCartJs(await response.json());
    } catch {
      return;
    }
    if (next === null) return;
    this.local.set("pending", null);
    const previous = this.storedCart();
    if (cartSignature(previous) === cartSignature(next)) return;
    const at = new Date();
    const delta = diffCarts(previous, next);
    const cart = next;
    const out = [
      ...delta.removed.map(({ line, quantity }) => events.removedFromCart(uuid(), at, this.who, cart, line, quantity)),
      ...delta.added.map(({ line, quantity }) => events.addedToCart(uuid(), at, this.who, cart, line, quantity)),
      events.cartSnapshot(uuid(), at, this.who, cart),
    ];
    // Remember the cart only once its events are queued: if the page dies in between, the next
    // page reads the cart again rather than missing the change.
    await Promise.all(out.map((event) => this.enqueue(event)));
    this.local.set("cart", JSON.stringify(next));
  }

  private storedCart(): CartState | null {
    const raw = this.local.get("cart");
    if (raw === null) return null;
    try {
      return JSON.parse(raw) as CartState;
    } catch {
      return null;
    }
  }

  private async enqueue(body: events.WireEvent): Promise<void> {
    await this.loaded;
    await this.queue.push({ id: body.id, body: body as Record<string, unknown>, enqueuedAt: Date.now(), attempts: 0 });
    this.delivery.schedule();
  }

  private async send(body: string): Promise<AttemptOutcome> {
    try {
      const response = await this.fetch(this.config.endpoint || "/apps/cartback/events", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
        keepalive: true,
        credentials: "same-origin",
      });
      return { type: "response", status: response.status, retryAfter: response.headers.get("retry-after") };
    } catch {
      return { type: "network_error" };
    }
  }
}
