/**
 * What every staff route exports: no caching anywhere (shared computers, proxies), and a
 * same-origin referrer policy so that our own form POSTs carry a real Origin header (the site-wide
 * no-referrer policy makes browsers send `Origin: null`, which Remix rejects).
 */
import type { HeadersFunction, LinksFunction, MetaFunction } from "@remix-run/node";
import staffStyles from "~/styles/staff.css";

export const STAFF_NO_STORE = { "Cache-Control": "no-store", Pragma: "no-cache" } as const;

export const staffHeaders: HeadersFunction = () => STAFF_NO_STORE;

export const staffMeta: MetaFunction = () => [{ name: "referrer", content: "same-origin" }];

export const staffLinks: LinksFunction = () => [{ rel: "stylesheet", href: staffStyles }];
