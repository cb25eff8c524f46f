import { useEffect } from "react";

/** Runs `effect` once `value` has stopped changing for `ms`: previews follow typing without a request per key. */
export function useDebouncedEffect<T>(value: T, ms: number, effect: (value: T) => void): void {
  // biome-ignore lint/correctness/useExhaustiveDependencies: the effect is re-read each render on purpose; only the value schedules it.
  useEffect(() => {
    const timer = setTimeout(() => effect(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
}
