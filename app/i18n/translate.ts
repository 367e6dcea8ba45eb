/**
 * Looks up a dotted key and fills {placeholders}. Shared by server and browser; the browser gets
 * only the active locale's dictionary (from the root loader), never both.
 */
import type { Locale, MessageKey, Messages, Vars } from "./types";

export type T = (key: MessageKey, vars?: Vars) => string;

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
    return node.replace(/\{(\w+)\}/g, (whole, name: string) =>
      name in vars ? String(vars[name]) : whole,
    );
  };
}

const TIME_ZONE = "Asia/Shanghai";

/** Dates are stored in UTC and shown in China time. */
export function formatDate(locale: Locale, value: Date | number | string): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone: TIME_ZONE,
    year: "numeric",
    month: "long",
    day: "numeric",
  }).format(new Date(value));
}

export function formatDateTime(locale: Locale, value: Date | number | string): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone: TIME_ZONE,
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  }).format(new Date(value));
}

/** Money is kept in integer fen. */
export function formatFen(locale: Locale, fen: number): string {
  return new Intl.NumberFormat(locale, { style: "currency", currency: "CNY" }).format(fen / 100);
}

/**
 * Money at a glance (the results board, scorecards): "27.7 万元", "1,034 万元", "1.5 亿元" in
 * zh-CN; "CNY 277,000", "CNY 10.34 million" in English. At most two decimals, trailing zeros
 * dropped; amounts under 10,000 yuan (zh) or 1 million (en) are written out in yuan.
 */
export function formatFenCompact(locale: Locale, fen: number): string {
  const yuan = fen / 100;
  const num = (n: number, digits = 2) =>
    new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(n);
  if (locale === "zh-CN") {
    if (Math.abs(yuan) >= 1e8) return `${num(yuan / 1e8)} 亿元`;
    if (Math.abs(yuan) >= 1e4) return `${num(yuan / 1e4)} 万元`;
    return `${num(yuan)} 元`;
  }
  if (Math.abs(yuan) >= 1e9) return `CNY ${num(yuan / 1e9)} billion`;
  if (Math.abs(yuan) >= 1e6) return `CNY ${num(yuan / 1e6)} million`;
  return `CNY ${num(yuan)}`;
}
