import en from "./en";
import { DEFAULT_LOCALE, isLocale, type Locale, type Messages } from "./types";
import zhCN from "./zh-CN";
import { makeT } from "./translate";

const dictionaries: Record<Locale, Messages> = { "zh-CN": zhCN, en };

export function messagesFor(locale: Locale): Messages {
  return dictionaries[locale];
}

/** Staff pages live under /staff; public pages never receive the staff strings. */
export function isStaffPath(pathname: string): boolean {
  return pathname === "/staff" || pathname.startsWith("/staff/");
}

/**
 * The dictionary a page needs: public pages get everything but the staff namespace (keeps the
 * resident's page small), staff pages get it all.
 */
export function messagesForPath(locale: Locale, pathname: string): Messages {
  const all = dictionaries[locale];
  if (isStaffPath(pathname)) return all;
  return { ...all, staff: EMPTY_STAFF[locale] };
}

/** Keeps the Messages shape on public pages without shipping the staff strings. */
const EMPTY_STAFF = {
  "zh-CN": {} as Messages["staff"],
  en: {} as Messages["staff"],
};

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
