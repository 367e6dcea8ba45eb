/** Any address no route claims: a localized 404 page (rendered by the root error boundary). */
import type { RouteHandle } from "~/route-handle";

/** Plain HTML: no framework JavaScript (docs/architecture.md, "Zero-JavaScript pages"). */
export const handle: RouteHandle = { hydrate: false };

export function loader() {
  throw new Response("Not found", { status: 404 });
}

export async function action() {
  throw new Response("Not found", { status: 404 });
}

export default function NotFound() {
  return null;
}
