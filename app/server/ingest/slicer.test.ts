import { expect, it } from "vitest";
import { loopSlicer } from "./slicer.ts";

function busyFor(ms: number) {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

it("lets a waiting callback run between slices of a long synchronous job", async () => {
  const slice = loopSlicer(10);
  let ranAfterItem = -1;
  let item = 0;
  setImmediate(() => {
    ranAfterItem = item;
  });
  for (item = 1; item <= 5; item++) {
    await slice();
    busyFor(15);
  }
  // Without yielding, the callback would only run once the whole job had finished.
  expect(ranAfterItem).toBeGreaterThan(0);
  expect(ranAfterItem).toBeLessThan(5);
});

it("does not yield while the slice is still short", async () => {
  const slice = loopSlicer(60_000);
  let ran = false;
  setImmediate(() => {
    ran = true;
  });
  for (let i = 0; i < 100; i++) await slice();
  expect(ran).toBe(false);
});
