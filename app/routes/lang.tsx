/**
 * Language switch: a plain form POST (works without JavaScript) that sets the `lang` cookie and
 * goes back to the page the resident was on. Only same-site relative paths are accepted.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { z } from "zod";
import { langCookie } from "~/i18n/messages.server";
import { LOCALES } from "~/i18n/types";

const LangForm = z.object({
  lang: z.enum(LOCALES),
  returnTo: z
    .string()
    .max(2000)
    .regex(/^\/(?![/\\])[^\s]*$/)
    .catch("/"),
});

export async function action({ request }: ActionFunctionArgs) {
  // A body that is not a form (wrong Content-Type, broken multipart) is bad input, not a 500.
  const form = await request.formData().catch(() => null);
  const parsed = LangForm.safeParse(form ? Object.fromEntries(form) : undefined);
  if (!parsed.success) throw new Response("Bad request", { status: 400 });
  return redirect(parsed.data.returnTo, {
    status: 303,
    headers: { "Set-Cookie": langCookie(parsed.data.lang) },
  });
}

export function loader() {
  return redirect("/", 303);
}
