/**
 * Small synchronous values (visitor id, last cart seen) in localStorage, which can throw
 * (Safari private mode, blocked cookies): then they live in memory for the page.
 */
export class LocalValues {
  private readonly memory = new Map<string, string>();

  constructor(
    private readonly win: Window,
    private readonly prefix: string,
  ) {}

  get(name: string): string | null {
    try {
      const value = this.win.localStorage.getItem(this.prefix + name);
      if (value !== null) return value;
    } catch {
      // fall through to memory
    }
    return this.memory.get(name) || null;
  }

  set(name: string, value: string | null): void {
    if (value === null) this.memory.delete(name);
    else this.memory.set(name, value);
    try {
      if (value === null) this.win.localStorage.removeItem(this.prefix + name);
      else this.win.localStorage.setItem(this.prefix + name, value);
    } catch {
      // memory copy above is all we can do
    }
  }
}
