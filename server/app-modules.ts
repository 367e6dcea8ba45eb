/**
 * Everything the server entry (server/index.ts) runs besides Node's built-ins: built by
 * scripts/build.mjs into one CommonJS bundle, build/server-app.cjs, with the Remix app build and
 * every package except the native addons, and loaded with V8's code cache (server/code-cache.ts).
 * server/index.ts imports nothing else at run time, so each module exists once.
 */
import type { ServerBuild } from "@remix-run/node";

export { default as compression } from "compression";
export { default as express } from "express";
export { default as proxyAddr } from "proxy-addr";
export { createRequestHandler } from "@remix-run/express";
export { ConfigError, databaseTarget, describeDatabase, parseEnv } from "../app/env.server";
export { log } from "../app/log.server";
export { closeDb, isStorageFailure, openDb } from "../db/client";
export { sweepRetention } from "../app/services/retention.server";
export { clientBucket } from "./client-address";
export { crossSiteRefused } from "./cross-site";
export { directActions, plainDirect } from "./direct-actions";
export { noStoreUnlessSet, startResponse } from "./respond";
export { assetHeaders } from "./security-headers";
export { trackConnections } from "./shutdown";

/** Demo seeding, evaluated only in demo mode: a production start never runs the demo data. */
export async function demoSeeding() {
  const [{ SeedRefused }, { seedDemo }] = await Promise.all([
    import("../db/seed"),
    import("./demo"),
  ]);
  return { SeedRefused, seedDemo };
}

/** The Remix app build, evaluated after the configuration and the database are known good. */
export async function appBuild(): Promise<ServerBuild> {
  return (await import("virtual:app-build")) as unknown as ServerBuild;
}
