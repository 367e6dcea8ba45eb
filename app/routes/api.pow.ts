/**
 * GET /api/pow — a fresh single-use proof-of-work challenge for a report submission. Stateless
 * (HMAC-signed); the browser solves it while it encrypts the report.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { serverT } from "~/i18n/messages.server";
import { issueChallenge } from "~/services/pow.server";
import { powChallenges } from "~/services/rate-limit.server";
import { apiError, NO_STORE } from "~/services/http.server";

export function loader({ request, context }: LoaderFunctionArgs) {
  const { t } = serverT(request);
  if (!powChallenges.hit(context.clientKey)) {
    const minutes = powChallenges.retryAfterMinutes(context.clientKey);
    return apiError(429, "rate_limited", t("resident.errors.tooMany", { minutes }), {
      "Retry-After": String(minutes * 60),
    });
  }
  return Response.json({ challenge: issueChallenge(context.env) }, { headers: NO_STORE });
}
