/**
 * A long synchronous job (deriving hundreds of profiles) cut into slices: `await slice()`
 * between items returns at once until `sliceMs` have passed, then yields one turn of the event
 * loop, so answers ready meanwhile go out before the job goes on. Without it a 500-event drain
 * batch held the loop for 100+ ms on the loaded bench machine (bench/results/ingest.md).
 */
export function loopSlicer(sliceMs = 10): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < sliceMs) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    since = performance.now();
  };
}
