/**
 * What the server entry hands every loader and action (`context`). Services take these as
 * parameters; nothing in app/ opens its own database or reads process.env.
 */
import type { Db } from "../db/client";
import type { Env } from "./env.server";

export interface CrosswatchContext {
  db: Db;
  env: Env;
  /** Fresh per request; every inline script carries it. */
  cspNonce: string;
  /**
   * Keyed hash of the client address for in-memory rate limits. The key is random per process
   * and never stored; the address itself never reaches app code.
   */
  clientKey: string;
}

declare module "@remix-run/node" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends CrosswatchContext {}
  interface Future {
    v3_singleFetch: true;
  }
}
