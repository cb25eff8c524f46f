import type { SendRow } from "../campaigns/decide-due.ts";
import type { Semaphore } from "./semaphore.ts";

type DeliverOne = (send: SendRow, resumed: boolean) => Promise<void>;

/**
 * The sends a worker holds in memory: waiting for a delivery slot, or with the transport.
 * A stopping worker takes back the waiting ones (nothing has happened to them yet) and
 * waits a bounded time for the others.
 */
export class Deliveries {
  private readonly waiting = new Set<SendRow>();
  private readonly held = new Set<Promise<void>>();
  private readonly running = new Set<Promise<void>>();
  /**
   * Ids of the sends held, with how many copies: this worker never resumes its own send as an
   * abandoned one. Two copies of one send can be held (decided by one round while its lease ran
   * out, resumed by the other); the one that stands down at its fence must not unlist the other.
   */
  private readonly ids = new Map<string, number>();

  constructor(
    private readonly slots: Semaphore,
    private readonly deliverOne: DeliverOne,
    private readonly onError: (error: unknown, send: SendRow) => void,
  ) {}

  get size(): number {
    return this.held.size;
  }

  /** The sends this worker holds, by id, waiting or with the transport. */
  heldIds(): string[] {
    return [...this.ids.keys()];
  }

  launch(send: SendRow, resumed: boolean): void {
    this.waiting.add(send);
    this.ids.set(send.id, (this.ids.get(send.id) ?? 0) + 1);
    const held: Promise<void> = this.slots
      .run(async () => {
        // Taken back by a stopping worker before its turn came.
        if (!this.waiting.delete(send)) return;
        const running = this.deliverOne(send, resumed).catch((error: unknown) => this.onError(error, send));
        this.running.add(running);
        await running;
        this.running.delete(running);
      })
      .finally(() => {
        this.held.delete(held);
        const copies = (this.ids.get(send.id) ?? 1) - 1;
        if (copies > 0) this.ids.set(send.id, copies);
        else this.ids.delete(send.id);
      });
    this.held.add(held);
  }

  /** Resolves as soon as any held send settles. */
  anySettled(): Promise<void> {
    return Promise.race(this.held);
  }

  /** The sends not started yet; they will not be started. */
  takeUnstarted(): SendRow[] {
    const sends = [...this.waiting];
    this.waiting.clear();
    return sends;
  }

  /** Waits at most `ms` for the sends with the transport; returns how many are still there. */
  async drain(ms: number): Promise<number> {
    if (this.running.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, ms);
      });
      await Promise.race([Promise.all(this.running), timeout]);
      clearTimeout(timer);
    }
    return this.running.size;
  }
}
