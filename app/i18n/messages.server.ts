import { isStaffPath } from "./areas";
import en from "./en";
import { DEFAULT_LOCALE, isLocale, type Locale, type Messages } from "./types";
import zhCN from "./zh-CN";
import { makeT } from "./translate";

const dictionaries: Record<Locale, Messages> = { "zh-CN": zhCN, en };

export function messagesFor(locale: Locale): Messages {
  return dictionaries[locale];
}

/** Namespaces only staff pages use: public pages never receive them (keeps them small). */
const STAFF_ONLY = ["staff", "auth", "cases", "office"] as const;
/** The parts of the outcomes namespace public pages use (/results, the home page link). */
const PUBLIC_OUTCOMES = ["board", "focus", "focusShort", "outcome", "suppressed", "dash"] as const;

/** The dictionary a page needs: everything on staff pages, no staff-only strings elsewhere. */
export function messagesForPath(locale: Locale, pathname: string): Messages {
  const all = dictionaries[locale];
  if (isStaffPath(pathname)) return all;
  const trimmed: Record<string, unknown> = { ...all };
  for (const ns of STAFF_ONLY) trimmed[ns] = {};
  // The results board needs only the public part of the outcomes namespace.
  trimmed.outcomes = Object.fromEntries(
    PUBLIC_OUTCOMES.map((k) => [k, all.outcomes[k]]),
  ) as unknown as Messages["outcomes"];
  // The staff-only namespaces are present but empty: the shape stays Messages for the types.
  return trimmed as unknown as Messages;
}

export const LANG_COOKIE = "lang";

/** The language cookie is the only cookie on public pages. */
export function localeFromRequest(request: Request): Locale {
  return localeFromCookie(request.headers.get("Cookie"));
}

/** The language a `Cookie` header asks for (the default without one). */
export function localeFromCookie(cookie: string | null): Locale {
  const match = /(?:^|;\s*)lang=([^;]+)/.exec(cookie ?? "");
  let value: string | undefined;
  try {
    value = match?.[1] ? decodeURIComponent(match[1]) : undefined;
  } catch {
    value = undefined; // not percent-encoded UTF-8: no language asked for
  }
  return isLocale(value) ? value : DEFAULT_LOCALE;
}

export function serverT(request: Request) {
  return serverTForCookie(request.headers.get("Cookie"));
}

/** `serverT` from the `Cookie` header alone (the direct API path has no `Request`). */
export function serverTForCookie(cookie: string | null) {
  const locale = localeFromCookie(cookie);
  return { locale, t: makeT(messagesFor(locale)) };
}

export function langCookie(locale: Locale): string {
  return `${LANG_COOKIE}=${encodeURIComponent(locale)}; Path=/; Max-Age=31536000; SameSite=Lax`;
}
