/**
 * How precisely Crosswatch keeps the times of what a tipster did (issue 11 item 7,
 * docs/threat-model.md "Tipster times"). A tip's submission, the tipster's replies, the moment the
 * tipster read the team's messages: each is kept to the calendar day in Asia/Shanghai, because a
 * time to the millisecond lets whoever reads the database (a thief, a curious operator, a court
 * order) line a tip up with a village network log or a camera. The deadlines are counted in days
 * from that day and end with it: acknowledge by the end of day 7, answer by the end of day 91.
 *
 * db/migrations/{sqlite,pg}/*_coarse_tipster_times.sql apply the same rules to older rows.
 */

export const DAY_MS = 86_400_000;
/** Asia/Shanghai is UTC+8 all year (no daylight saving since 1991). */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** 00:00 Asia/Shanghai of the day `at` falls on, as a UTC instant. */
export function shanghaiDayStart(at: Date | number): Date {
  const t = typeof at === "number" ? at : at.getTime();
  return new Date(Math.floor((t + SHANGHAI_OFFSET_MS) / DAY_MS) * DAY_MS - SHANGHAI_OFFSET_MS);
}

/** The last millisecond of the Asia/Shanghai day `days` after the day of `at`. */
export function shanghaiDayEnd(at: Date | number, days = 0): Date {
  return new Date(shanghaiDayStart(at).getTime() + (days + 1) * DAY_MS - 1);
}

/** Whether a stored time carries no time of day (00:00:00.000 Asia/Shanghai). */
export function isShanghaiDayStart(at: Date | number): boolean {
  const t = typeof at === "number" ? at : at.getTime();
  return shanghaiDayStart(t).getTime() === t;
}

/** The time stored for something the tipster did at `now`: its day. */
export const tipsterDay = (now: Date): Date => shanghaiDayStart(now);

/**
 * The time stored for a tipster's message written at `now`: its day, or 1 ms after the latest
 * earlier message of the thread if that is later, so the thread keeps its order and the stored
 * time says no more than the order does.
 */
export function tipsterMessageTime(now: Date, latestInThread: Date | null): Date {
  const day = shanghaiDayStart(now).getTime();
  return new Date(latestInThread ? Math.max(day, latestInThread.getTime() + 1) : day);
}
