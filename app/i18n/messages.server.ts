import en from "./en";
import { DEFAULT_LOCALE, isLocale, type Locale, type Messages } from "./types";
import zhCN from "./zh-CN";
import { makeT } from "./translate";

const dictionaries: Record<Locale, Messages> = { "zh-CN": zhCN, en };

export function messagesFor(locale: Locale): Messages {
  return dictionaries[locale];
}

export const LANG_COOKIE = "lang";

/** The language cookie is the only cookie on public pages. */
export function localeFromRequest(request: Request): Locale {
  const cookie = request.headers.get("Cookie") ?? "";
  const match = /(?:^|;\s*)lang=([^;]+)/.exec(cookie);
  const value = match?.[1] ? decodeURIComponent(match[1]) : undefined;
  return isLocale(value) ? value : DEFAULT_LOCALE;
}

export function serverT(request: Request) {
  const locale = localeFromRequest(request);
  return { locale, t: makeT(messagesFor(locale)) };
}

export function langCookie(locale: Locale): string {
  return `${LANG_COOKIE}=${encodeURIComponent(locale)}; Path=/; Max-Age=31536000; SameSite=Lax`;
}
