/**
 * Routing answers remembered while nothing they depend on can have changed (ADR 038).
 *
 * Every report routes its tip (routing.server.ts: ≈ 8 queries, the roster trust policy and the
 * memo look-ups of office signatures), and the answer is the same for every report about the
 * same district and unit until either
 *
 * - a committed change to a table routing reads — caught exactly by the routing generation, a
 *   counter the database's own triggers raise in the same transaction as any such change
 *   (db/routing-generation.ts), read once per report: a revocation, recusal, roster, stationing
 *   or membership change counts from the very next report, in this process or any other on the
 *   same database; or
 * - time alone crosses a boundary: a stationing starts or ends, a member joins or leaves, a key
 *   or roster stops (or starts) being valid, an account's disabling or a recusal's withdrawal
 *   takes effect. Every such rule compares `at` with a stored time (`b <= at` or `at < b`), so
 *   the answer is constant between two consecutive stored times. On a miss the cache reads the
 *   nearest stored time at or before `at` and the nearest after it among ALL rows of those
 *   columns (not only the district's: simpler, and only ever a shorter window), plus the signed
 *   windows of the rosters it verified, and the answer is reused only strictly inside them
 *   (1 ms of margin each side).
 *
 * A stored answer is reused only with the same generation, the same configuration object (the
 * office keys) and a time inside its window. It is stored only when the generation read before
 * computing it equals the one read after the window (nothing committed in between), and only for
 * a district that exists and a unit of it (the keys are not the client's to choose).
 * An in-memory SQLite database (unit tests) has no trusted generation: nothing is remembered.
 */
import { gt, lte, max, min, sql, type Column } from "drizzle-orm";
import { preparedQuery, type Db } from "../../db/client";
import { routingGeneration } from "../../db/routing-generation";
import {
  recusals,
  rosters,
  staffKeys,
  staffUsers,
  stationings,
  teamMembers,
} from "../../db/schema";
import type { Env } from "../env.server";

/**
 * Every stored time a routing rule compares with `at` (routing.server.ts, recusals.server.ts,
 * rosters.server.ts, staff-keys.server.ts). A new time rule in routing must be listed here.
 */
type Table = Parameters<ReturnType<Db["select"]>["from"]>[0];
const TIME_COLUMNS: { name: string; table: Table; column: Column }[] = [
  { name: "stationing_starts", table: stationings, column: stationings.startsAt },
  { name: "stationing_ends", table: stationings, column: stationings.endsAt },
  { name: "member_joined", table: teamMembers, column: teamMembers.joinedAt },
  { name: "member_left", table: teamMembers, column: teamMembers.leftAt },
  { name: "staff_disabled", table: staffUsers, column: staffUsers.disabledAt },
  { name: "key_valid_until", table: staffKeys, column: staffKeys.validUntil },
  { name: "recusal_withdrawn", table: recusals, column: recusals.withdrawnAt },
  { name: "roster_valid_from", table: rosters, column: rosters.validFrom },
  { name: "roster_valid_until", table: rosters, column: rosters.validUntil },
];

/** Hits and misses since start (tests and benchmarks read them). */
export const routingCacheStats = { hits: 0, misses: 0, stored: 0 };

interface Entry {
  generation: string;
  env: Env;
  /** The answer holds for from <= at < until (ms). */
  from: number;
  until: number;
  value: unknown;
}

const MAX_ENTRIES = 2048;
const CACHES = new WeakMap<Db, Map<string, Entry>>();

/**
 * `compute(signedTimes)` — which must read only what the triggers and TIME_COLUMNS cover, and
 * push into `signedTimes` every other time (ms) its answer compares `at` with — or its remembered
 * answer for `key` at `at`. `keep(value)`: whether this answer may be remembered.
 */
export async function viaRoutingCache<T>(
  db: Db,
  env: Env,
  key: string,
  at: Date,
  compute: (signedTimes: number[]) => Promise<T>,
  keep: (value: T) => boolean,
): Promise<T> {
  const generation = await routingGeneration(db);
  if (generation === null) return await compute([]);
  let cache = CACHES.get(db);
  if (!cache) CACHES.set(db, (cache = new Map()));
  const t = at.getTime();
  const hit = cache.get(key);
  if (hit && hit.generation === generation && hit.env === env && hit.from <= t && t < hit.until) {
    routingCacheStats.hits++;
    return hit.value as T;
  }
  routingCacheStats.misses++;
  const signedTimes: number[] = [];
  const value = await compute(signedTimes);
  if (!keep(value)) return value;
  const window = await timeWindow(db, at, signedTimes);
  // Stored only if nothing was committed meanwhile: then every read above saw this generation.
  if ((await routingGeneration(db)) !== generation) return value;
  cache.delete(key);
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(key, { generation, env, ...window, value });
  routingCacheStats.stored++;
  return value;
}

/** Between the stored times nearest to `at` (at or before; after), 1 ms inside each. */
async function timeWindow(
  db: Db,
  at: Date,
  signedTimes: number[],
): Promise<{ from: number; until: number }> {
  const t = at.getTime();
  let before = -Infinity;
  let after = Infinity;
  const note = (b: number) => {
    if (b <= t) before = Math.max(before, b);
    else after = Math.min(after, b);
  };
  for (const b of signedTimes) note(b);
  for (const { name, table, column } of TIME_COLUMNS) {
    const param = sql.param(sql.placeholder("at"), column);
    const [last] = await preparedQuery(db, `cw_routing_window_last_${name}`, (d) =>
      d
        .select({ b: max(column) })
        .from(table)
        .where(lte(column, param))
        .prepare(`cw_routing_window_last_${name}`),
    ).execute({ at });
    const [next] = await preparedQuery(db, `cw_routing_window_next_${name}`, (d) =>
      d
        .select({ b: min(column) })
        .from(table)
        .where(gt(column, param))
        .prepare(`cw_routing_window_next_${name}`),
    ).execute({ at });
    for (const row of [last, next]) {
      const b = row?.b as unknown;
      if (b instanceof Date) note(b.getTime());
      else if (b !== null && b !== undefined) note(new Date(b as string | number).getTime());
    }
  }
  // The margins absorb any rounding between a stored time and its JavaScript Date.
  return { from: before + 1, until: after - 1 };
}
