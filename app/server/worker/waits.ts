/** The worker loop's waits (poll interval, room for more sends); wake() cuts the current one short. */
export class Waits {
  private current: (() => void) | null = null;

  /** Resolves after `ms`, or at wake(). */
  sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => done(), ms);
      const done = () => {
        clearTimeout(timer);
        if (this.current === done) this.current = null;
        resolve();
      };
      this.current = done;
    });
  }

  /** Resolves when `event` does, or at wake(). */
  until(event: Promise<unknown>): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        if (this.current === done) this.current = null;
        resolve();
      };
      this.current = done;
      void event.then(done, done);
    });
  }

  wake(): void {
    this.current?.();
  }
}
