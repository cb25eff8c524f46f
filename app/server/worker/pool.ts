/** Runs `task` over `items` with at most `limit` in flight; resolves when all settled. */
export async function runLimited<T>(items: T[], limit: number, task: (item: T) => Promise<void>, onError: (error: unknown, item: T) => void): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      try {
        await task(item);
      } catch (error) {
        onError(error, item);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
