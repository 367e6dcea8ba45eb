import { useMemo } from "react";
import { useRouteLoaderData } from "@remix-run/react";
import { makeT, type T } from "./translate";
import { DEFAULT_LOCALE, type Locale, type Messages } from "./types";

export interface RootI18n {
  locale: Locale;
  messages: Messages;
}

/** The active locale and its translate function, from the root loader's data. */
export function useI18n(): { locale: Locale; t: T } {
  const data = useRouteLoaderData<RootI18n>("root");
  const messages = data?.messages;
  const t = useMemo<T>(() => (messages ? makeT(messages) : (key) => key), [messages]);
  return { locale: data?.locale ?? DEFAULT_LOCALE, t };
}
