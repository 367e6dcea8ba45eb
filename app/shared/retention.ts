/**
 * How long a closed case is kept (issue 12 item 3, ADR 019). `RETENTION_DAYS` names a period per
 * closed state, counted from the case's last activity (its last status change or message):
 *
 *   RETENTION_DAYS=resolved=730,not_accepted=365,merged=365    (the default)
 *   RETENTION_DAYS=400                                          (every closed state)
 *   RETENTION_DAYS=resolved=1095,not_accepted=off               (never delete not_accepted cases)
 *   RETENTION_DAYS=off                                          (never delete anything)
 *
 * Only closed states can be named: an open case is never deleted, however old.
 */
export const CLOSED_STATES = ["resolved", "not_accepted", "merged"] as const;
export type ClosedState = (typeof CLOSED_STATES)[number];

/** Days per closed state; a missing state is kept for ever. */
export type RetentionPolicy = Partial<Record<ClosedState, number>>;

export const DEFAULT_RETENTION = "resolved=730,not_accepted=365,merged=365";

/** Longest period accepted: 50 years (a typo like 7300000 is refused, not honoured). */
const MAX_DAYS = 18_250;

export class RetentionConfigError extends Error {
  override name = "RetentionConfigError";
}

function parseDays(text: string, where: string): number | null {
  if (text === "off") return null;
  if (!/^\d{1,5}$/.test(text) || Number(text) > MAX_DAYS) {
    throw new RetentionConfigError(
      `${where}: "${text}" must be a whole number of days from 0 to ${MAX_DAYS}, or off`,
    );
  }
  return Number(text);
}

/** Parses RETENTION_DAYS; throws RetentionConfigError with a one-line reason. */
export function parseRetention(value: string | undefined): RetentionPolicy {
  const text = (value ?? DEFAULT_RETENTION).trim() || DEFAULT_RETENTION;
  if (!text.includes("=")) {
    const days = parseDays(text, "RETENTION_DAYS");
    return days === null ? {} : Object.fromEntries(CLOSED_STATES.map((s) => [s, days]));
  }
  const policy: RetentionPolicy = {};
  const seen = new Set<string>();
  for (const part of text.split(",")) {
    const [name = "", days, extra] = part.split("=").map((p) => p.trim());
    if (days === undefined || extra !== undefined) {
      throw new RetentionConfigError(`RETENTION_DAYS: "${part.trim()}" must be state=days`);
    }
    if (!(CLOSED_STATES as readonly string[]).includes(name)) {
      throw new RetentionConfigError(
        `RETENTION_DAYS: "${name}" is not a closed state (${CLOSED_STATES.join(", ")}); open cases are never deleted`,
      );
    }
    if (seen.has(name)) throw new RetentionConfigError(`RETENTION_DAYS: "${name}" is named twice`);
    seen.add(name);
    const parsed = parseDays(days, `RETENTION_DAYS ${name}`);
    if (parsed !== null) policy[name as ClosedState] = parsed;
  }
  return policy;
}

/** "resolved 730 days, not_accepted 365 days" — for the start-up line and docs. */
export function describeRetention(policy: RetentionPolicy): string {
  const parts = CLOSED_STATES.filter((s) => policy[s] !== undefined).map(
    (s) => `${s} ${policy[s]} days`,
  );
  return parts.length ? parts.join(", ") : "off (closed cases are kept)";
}
