/**
 * What a route module may export as `handle`, read by app/root.tsx.
 *
 * `hydrate: false` makes a page zero-JavaScript: the document carries no framework scripts, no
 * module preloads and no hydration data — only the small nonce'd quick-exit script that every
 * public page has. Such a page must work as plain HTML: links are `<a href>`, forms post to the
 * server. Opt in with one line in the route module:
 *
 *   export const handle: RouteHandle = { hydrate: false };
 *
 * See docs/architecture.md ("Zero-JavaScript pages").
 */
import type { UIMatch } from "@remix-run/react";

export interface RouteHandle {
  /** false: send this page without any framework JavaScript (it works as plain HTML). */
  hydrate?: boolean;
}

/** Whether the document for these matches ships the framework's scripts and hydration data. */
export function wantsHydration(matches: readonly Pick<UIMatch, "handle">[]): boolean {
  return !matches.some((m) => (m.handle as RouteHandle | undefined)?.hydrate === false);
}
