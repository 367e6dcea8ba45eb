/**
 * The framework's scripts for the public pages that hydrate (/report, /status), fetched after the
 * page's first paint (ADR 037).
 *
 * Remix's `<Scripts>` writes a `<link rel="modulepreload">` per module and an inline module script
 * that imports them: Chromium fetches all of them at high priority while the page is still being
 * parsed. The page needs none of them to show its text and form (both work without JavaScript),
 * and a phone on a slow link then spends its first second fetching 114 KiB of JavaScript next to
 * the style sheets. Here the same two scripts are written differently:
 * - the hydration data (`window.__remixContext`, the stream the single-fetch data is written to)
 *   runs where it always did, inline, no request;
 * - a small inline loader waits for the first contentful paint (its `paint` entry, then a task;
 *   one frame in a browser without paint timing, at once in a hidden tab, 2.5 s at the latest),
 *   then sets the route manifest and imports every module in parallel (`import()`: the same files
 *   the preload links named), sets `window.__remixRouteModules` and imports the entry, which
 *   hydrates.
 * That is what Remix's module script does (@remix-run/react 2.17, components.js `Scripts` with
 * single fetch and lazy route discovery on, no deferred data, no HMR, no SPA mode), only later.
 * Staff pages keep Remix's `<Scripts>`.
 */
import { UNSAFE_RemixContext } from "@remix-run/react";
import { useContext } from "react";
import {
  UNSAFE_DataRouterContext,
  UNSAFE_DataRouterStateContext,
  matchRoutes,
} from "react-router-dom";

type RemixContextObject = NonNullable<React.ContextType<typeof UNSAFE_RemixContext>>;
type Manifest = RemixContextObject["manifest"];
type Router = NonNullable<React.ContextType<typeof UNSAFE_DataRouterContext>>["router"];

/** JSON inside an inline script: nothing that could close the element or start a comment. */
const ESCAPE: Record<string, string> = {
  "<": "\\u003c",
  ">": "\\u003e",
  "&": "\\u0026",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};
const json = (value: unknown) =>
  JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => ESCAPE[c]!);

/** The routes of this page and of its parent paths (Remix's `getPartialManifest`, fog of war). */
function partialManifest(manifest: Manifest, router: Router): Manifest {
  const ids = new Set(router.state.matches.map((m) => m.route.id));
  const segments = router.state.location.pathname.split("/").filter(Boolean);
  segments.pop();
  const paths = ["/"];
  while (segments.length > 0) {
    paths.push(`/${segments.join("/")}`);
    segments.pop();
  }
  for (const path of paths) {
    for (const m of matchRoutes(router.routes, path, router.basename) ?? []) ids.add(m.route.id);
  }
  const routes: Manifest["routes"] = {};
  for (const id of ids) if (manifest.routes[id]) routes[id] = manifest.routes[id];
  return { ...manifest, routes };
}

/** The two scripts' text, written on the server only (the browser keeps what it was sent). */
function serverScripts(
  remix: RemixContextObject,
  router: Router,
  routeIds: string[],
): { context: string; loader: string } {
  const { manifest } = remix;
  const context =
    `window.__remixContext = ${remix.serverHandoffString};` +
    "window.__remixContext.stream = new ReadableStream({start(controller){" +
    "window.__remixContext.streamController = controller;}}).pipeThrough(new TextEncoderStream());";
  const routes = routeIds.map((id) => [id, manifest.routes[id]!.module]);
  const modules = [
    ...manifest.entry.imports,
    ...routeIds.flatMap((id) => [
      ...(manifest.routes[id]!.imports ?? []),
      manifest.routes[id]!.module,
    ]),
  ];
  const loader =
    `(function(){var M=${json(partialManifest(manifest, router))},R=${json(routes)},` +
    `P=${json([...new Set(modules)])},E=${json(manifest.entry.module)},g=0;` +
    "function go(){if(g)return;g=1;window.__remixManifest=M;" +
    "P.forEach(function(u){import(u).catch(function(){})});" +
    "Promise.all(R.map(function(r){return import(r[1])})).then(function(m){var o={};" +
    "R.forEach(function(r,i){o[r[0]]=m[i]});window.__remixRouteModules=o;return import(E)})" +
    // A module that cannot be fetched is reported as a failing module script would be.
    ".catch(function(e){console.error(e)})}" +
    // After the first contentful paint (its entry comes once the frame is on screen); a hidden
    // tab paints nothing, and a browser without paint timing waits for one frame. Whatever
    // happens, the modules are fetched 2.5 s after the document was parsed at the latest.
    "var S=window.PerformanceObserver&&PerformanceObserver.supportedEntryTypes||[];" +
    "if(document.hidden)go();else if(S.indexOf('paint')<0)requestAnimationFrame(function(){setTimeout(go,0)});" +
    "else new PerformanceObserver(function(l,o){if(l.getEntriesByName('first-contentful-paint').length){o.disconnect();setTimeout(go,0)}}).observe({type:'paint',buffered:true});setTimeout(go,2500)})();";
  return { context, loader };
}

export function DeferredScripts({ nonce }: { nonce: string | undefined }) {
  const remix = useContext(UNSAFE_RemixContext);
  const { router, static: isStatic } = useContext(UNSAFE_DataRouterContext) ?? {};
  const { matches } = useContext(UNSAFE_DataRouterStateContext) ?? { matches: [] };
  // RemixServer writes the single-fetch data scripts only after a document that has the scripts.
  if (remix?.renderMeta) remix.renderMeta.didRenderScripts = true;
  const html =
    isStatic && remix && router
      ? serverScripts(
          remix,
          router,
          matches.map((m) => m.route.id),
        )
      : { context: " ", loader: " " };
  return (
    <>
      <script
        nonce={nonce}
        suppressHydrationWarning
        dangerouslySetInnerHTML={{ __html: html.context }}
      />
      <script
        nonce={nonce}
        suppressHydrationWarning
        dangerouslySetInnerHTML={{ __html: html.loader }}
      />
    </>
  );
}
