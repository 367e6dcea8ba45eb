/**
 * Looks up a dotted key and fills {placeholders}. Shared by server and browser; the browser gets
 * only the active locale's dictionary (from the root loader), never both.
 */
import type { Locale, MessageKey, Messages, Vars } from "./types";

export type T = (key: MessageKey, vars?: Vars) => string;

/**
 * Plurals: a string may hold "singular|plural" forms (English needs them, Chinese does not); with a
 * numeric `count` the form for that count is used — "{count} file|{count} files".
 */
export function makeT(messages: Messages): T {
  return (key, vars) => {
    let node: unknown = messages;
    for (const part of key.split(".")) {
      node =
        typeof node === "object" && node !== null
          ? (node as Record<string, unknown>)[part]
          : undefined;
    }
    if (typeof node !== "string") return key;
    if (!vars) return node;
    if (typeof vars.count === "number" && node.includes("|")) {
      const [one, other] = node.split("|") as [string, string];
      node = vars.count === 1 ? one : other;
    }
    return (node as string).replace(/\{(\w+)\}/g, (whole, name: string) =>
      name in vars ? String(vars[name]) : whole,
    );
  };
}

const TIME_ZONE = "Asia/Shanghai";

const DATE_FORMATS = {
  date: { year: "numeric", month: "long", day: "numeric" },
  dateTime: {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  },
  shortDate: { month: "short", day: "numeric" },
  shortDateTime: { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" },
} as const satisfies Record<string, Intl.DateTimeFormatOptions>;

/**
 * One formatter per locale and format, made on first use: building an Intl.DateTimeFormat with a
 * time zone costs far more than formatting with it (on a throttled phone, a fresh formatter per
 * date made the status page's case render a 600 ms task, and each inbox page built hundreds).
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: Locale, kind: keyof typeof DATE_FORMATS): Intl.DateTimeFormat {
  const key = `${locale}|${kind}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone: TIME_ZONE, ...DATE_FORMATS[kind] });
    formatters.set(key, f);
  }
  return f;
}

/** Dates are stored in UTC and shown in China time. */
export function formatDate(locale: Locale, value: Date | number | string): string {
  return formatter(locale, "date").format(new Date(value));
}

export function formatDateTime(locale: Locale, value: Date | number | string): string {
  return formatter(locale, "dateTime").format(new Date(value));
}

/** Month and day (no year), for dense lists: "11月30日" / "Nov 30". */
export function formatShortDate(locale: Locale, value: Date | number | string): string {
  return formatter(locale, "shortDate").format(new Date(value));
}

/** Month, day and time (no year), for dense lists: "11月30日 16:25" / "Nov 30, 16:25". */
export function formatShortDateTime(locale: Locale, value: Date | number | string): string {
  return formatter(locale, "shortDateTime").format(new Date(value));
}

/**
 * Money is kept in integer fen; formatting lives with the parsing in app/shared/money (the browser
 * and the server share it): `formatFen` exact, `formatFenCompact` at a glance.
 */
export { formatFen, formatFenCompact } from "../shared/money";
