/**
 * `false` in the server's HTML and during hydration, `true` once the page runs JavaScript: for
 * parts that only make sense with scripts (a copy button, a submit label). The switch after
 * hydration is a transition, so React renders it in small slices instead of one long task
 * (docs/benchmarks.md, "longest main-thread task"); a component mounted later (the receipt after
 * a JavaScript submit) starts at `true` and renders once.
 */
import { startTransition, useEffect, useState } from "react";

let hydratedOnce = false;

export function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(hydratedOnce);
  useEffect(() => {
    hydratedOnce = true;
    if (!hydrated) startTransition(() => setHydrated(true));
    // Only the first commit matters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return hydrated;
}
