/**
 * /report — a resident reports a problem to the visiting team stationed in a district.
 *
 * `/report` starts with the district list; `/report?district=<id>` shows who will be able to read
 * the report, then the form. With JavaScript the form is encrypted on the device
 * (components/report/ReportForm → client/report) and sent to /api/report; the receipt never
 * leaves the device. Without JavaScript this route's action receives the form, encrypts it on
 * arrival with the same format and readers (services/report.server), keeps it only in memory and
 * shows the receipt; the page says plainly that this path is weaker.
 */
import type {
  ActionFunctionArgs,
  HeadersFunction,
  LinksFunction,
  LoaderFunctionArgs,
  MetaFunction,
} from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData, useLocation, useNavigate } from "@remix-run/react";
import { startTransition, useEffect, useState } from "react";
import {
  MAX_REPORT_FILE_BYTES,
  MAX_REPORT_FILES,
  MAX_REPORT_TOTAL_BYTES,
  fitFileName,
  validateReport,
  type ConfirmProblems,
  type FieldProblem,
  type FormValues,
} from "~/client/report/model";
import type { SubmitOk } from "~/client/report/report-client";
import { DistrictChooser } from "~/components/report/DistrictChooser";
import { ReaderPanel } from "~/components/report/ReaderPanel";
import { ReceiptView } from "~/components/report/ReceiptView";
import { ReportForm, problemAnchor, problemMessage } from "~/components/report/ReportForm";
import { serverT } from "~/i18n/messages.server";
import { formatDate } from "~/i18n/translate";
import type { MessageKey } from "~/i18n/types";
import { useI18n } from "~/i18n/use-t";
import { useNonce } from "~/nonce";
import { readBoundedMultipart } from "~/services/multipart.server";
import { reportPageViews, reportSubmissions } from "~/services/rate-limit.server";
import {
  checkReceiptConfirmation,
  districtChoices,
  formatSize,
  receiptSaltForReport,
  reportPageDistrict,
  submitErrorMessage,
  submitPlainReport,
  type PlainFile,
} from "~/services/report.server";
import { NO_STORE } from "~/services/http.server";
import { StorageUnavailableError } from "~/services/storage.server";
import reportStyles from "~/styles/report.css";
import { SNIFF_BYTES } from "~/shared/file-types";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: reportStyles }];
export const headers: HeadersFunction = () => NO_STORE;
/**
 * "same-origin", not the site-wide "no-referrer": under no-referrer Chromium sends `Origin: null`
 * with a form POST, which Remix's CSRF check rejects (500), breaking the no-JS path. Nothing is
 * sent to other origins either way.
 */
export const meta: MetaFunction = () => [{ name: "referrer", content: "same-origin" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { t, locale } = serverT(request);
  const url = new URL(request.url);
  const districtId = url.searchParams.get("district");
  if (!reportPageViews.hit(context.clientKey)) {
    const minutes = reportPageViews.retryAfterMinutes(context.clientKey);
    return data(
      { mode: "limited" as const, message: t("resident.errors.tooMany", { minutes }) },
      { status: 429, headers: { ...NO_STORE, "Retry-After": String(minutes * 60) } },
    );
  }
  if (!districtId) {
    const q = (url.searchParams.get("q") ?? "").slice(0, 50);
    return data(
      { mode: "choose" as const, choices: await districtChoices(context.db), q },
      { headers: NO_STORE },
    );
  }
  const page = await reportPageDistrict(context.db, context.env, districtId.slice(0, 100));
  if (!page) throw new Response(t("resident.district.unknown"), { status: 404 });
  // Dates are written here, not in the browser: the first Intl.DateTimeFormat of a page costs
  // 30-100 ms (ICU's set-up), ×4 on a cheap phone, inside hydration (docs/benchmarks.md).
  const teamWindows = (page.panel?.teams ?? []).map((s) =>
    t("resident.readers.windowValue", {
      start: formatDate(locale, s.startsAt),
      end: formatDate(locale, s.endsAt),
    }),
  );
  return data(
    { mode: "district" as const, page, teamWindows, salt: receiptSaltForReport(context.env) },
    { headers: NO_STORE },
  );
}

type ActionResult =
  | {
      kind: "problems";
      problems: FieldProblem[];
      error: string | null;
      values: FormValues;
      /** names of the files that came with the refused form: they must be chosen again */
      files: string[];
    }
  | {
      kind: "receipt";
      receipt: string;
      acknowledgeBy: string;
      feedbackBy: string;
      confirmed: boolean;
      confirmError: string | null;
      confirmProblems: ConfirmProblems;
    };

const TEXT_FIELDS = [
  "district",
  "unit",
  "category",
  "corruptionType",
  "text",
  "when",
  "people",
  "amount",
  "identity",
  "name",
  "phone",
  "contact",
  "onlyOutsiders",
] as const;

/** Far above any valid form (20 MB of files): past this the rest of the body is not read. */
const NOJS_MAX_BODY_BYTES = 64 * 1024 * 1024;

/** The no-JavaScript path: receipt confirmation, or a whole report encrypted on arrival. */
export async function action({ request, context }: ActionFunctionArgs) {
  const { t, locale } = serverT(request);
  const refused = (
    status: number,
    error: string | null,
    values: FormValues = {},
    problems: FieldProblem[] = [],
    files: string[] = [],
    headers: Record<string, string> = {},
  ) =>
    data<ActionResult>(
      { kind: "problems", problems, error, values, files },
      { status, headers: { ...NO_STORE, ...headers } },
    );

  const type = request.headers.get("Content-Type") ?? "";
  if (type.startsWith("application/x-www-form-urlencoded")) {
    const c = checkReceiptConfirmation(Object.fromEntries(await request.formData()));
    if (!c.ok) return refused(400, t("resident.errors.badRequest"));
    const failed = c.problems.written !== null || c.problems.last4 !== null;
    return data<ActionResult>(
      {
        kind: "receipt",
        receipt: c.receipt,
        acknowledgeBy: c.acknowledgeBy,
        feedbackBy: c.feedbackBy,
        confirmed: !failed,
        confirmError: null,
        confirmProblems: c.problems,
      },
      { status: failed ? 400 : 200, headers: NO_STORE },
    );
  }

  // Peek only: a form that fails validation below never spends the quota (junk cannot lock out
  // a resident behind the same address); a valid one spends it just before it is stored.
  if (reportSubmissions.blocked(context.clientKey)) {
    const minutes = reportSubmissions.retryAfterMinutes(context.clientKey);
    return refused(429, t("resident.errors.tooMany", { minutes }), {}, [], [], {
      "Retry-After": String(minutes * 60),
    });
  }
  // Read the whole form with limits: oversize files are dropped by name, the text always kept.
  const read = await readBoundedMultipart(request, {
    maxFileBytes: MAX_REPORT_FILE_BYTES,
    maxTotalFileBytes: MAX_REPORT_TOTAL_BYTES,
    maxFiles: MAX_REPORT_FILES,
    maxFieldBytes: 64 * 1024,
    maxFields: 64,
    maxBodyBytes: NOJS_MAX_BODY_BYTES,
  });
  const values: Record<string, string> = {};
  for (const [k, val] of read.form.fields) {
    if ((TEXT_FIELDS as readonly string[]).includes(k) && !(k in values)) {
      values[k] = val.slice(0, 20_000);
    }
  }
  const files: PlainFile[] = read.form.files
    .filter((f) => f.field === "files")
    .map((f) => ({ name: fitFileName(f.name), type: f.type, data: f.data }));
  const dropped = read.form.dropped.filter((f) => f.field === "files");
  const chosen = [...files.map((f) => f.name), ...dropped.map((f) => fitFileName(f.name))];
  if (!read.ok) {
    const error =
      read.code === "body_too_large"
        ? t("resident.errors.requestTooLarge", { max: formatSize(locale, MAX_REPORT_TOTAL_BYTES) })
        : t("resident.errors.badRequest");
    for (const f of files) f.data.fill(0);
    return refused(read.code === "body_too_large" ? 413 : 400, error, values, [], chosen);
  }
  const checked = validateReport(
    values,
    [
      ...files.map((f) => ({
        name: f.name,
        type: f.type,
        size: f.data.length,
        head: f.data.subarray(0, SNIFF_BYTES),
      })),
      ...dropped.map((f) => ({
        name: fitFileName(f.name),
        type: f.type,
        size: f.size,
        head: f.head,
      })),
    ],
    (f) => t(`resident.form.${f}` as MessageKey),
  );
  if (!checked.ok) {
    for (const f of files) f.data.fill(0);
    return refused(400, null, values, checked.problems, chosen);
  }
  if (!reportSubmissions.hit(context.clientKey)) {
    for (const f of files) f.data.fill(0);
    const minutes = reportSubmissions.retryAfterMinutes(context.clientKey);
    return refused(429, t("resident.errors.tooMany", { minutes }), values, [], chosen, {
      "Retry-After": String(minutes * 60),
    });
  }
  let result: Awaited<ReturnType<typeof submitPlainReport>>;
  try {
    result = await submitPlainReport(
      context.db,
      context.env,
      checked.fields,
      checked.identity,
      checked.onlyOutsiders,
      files,
    );
  } catch (err) {
    if (!(err instanceof StorageUnavailableError)) throw err;
    // Nothing was stored; the form comes back with what the resident wrote.
    for (const f of files) f.data.fill(0);
    return refused(503, t("resident.errors.storageUnavailable"), values, [], chosen, {
      "Retry-After": "60",
    });
  }
  if (!result.ok) {
    const status = result.code === "no_reader" || result.code === "recipients_changed" ? 409 : 400;
    return refused(status, submitErrorMessage(t, locale, result.code), values, [], chosen);
  }
  return data<ActionResult>(
    {
      kind: "receipt",
      receipt: result.receipt,
      acknowledgeBy: result.acknowledgeBy.toISOString(),
      feedbackBy: result.feedbackBy.toISOString(),
      confirmed: false,
      confirmError: null,
      confirmProblems: { written: null, last4: null },
    },
    { status: 201, headers: NO_STORE },
  );
}

/**
 * Until the page's JavaScript runs, a browser that HAS JavaScript must not post the form in clear
 * (that would silently take the weaker path): hold the submit and show a short note instead.
 */
const HOLD_SUBMIT_UNTIL_READY = `document.addEventListener("submit",function(e){var f=e.target;if(f&&f.hasAttribute("data-report-form")&&!window.__cwReportReady){e.preventDefault();var w=document.getElementById("report-wait");if(w)w.hidden=false;}},true);`;

export default function ReportPage() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionResult | undefined;
  const { t, locale } = useI18n();
  const nonce = useNonce();
  const location = useLocation();
  const navigate = useNavigate();
  const [sent, setSent] = useState<SubmitOk | null>(null);
  // History state exists only in the browser: read it after hydration, never during it.
  const [sentEarlier, setSentEarlier] = useState(false);
  useEffect(() => {
    setSentEarlier(!!(location.state as { reportSent?: boolean } | null)?.reportSent);
  }, [location.state]);
  const en = locale === "en";

  function onSent(ok: SubmitOk) {
    // Mark this history entry: coming back to it (Forward, reload) must not look like a fresh,
    // empty form. Only the fact is kept, never the receipt.
    const state = (window.history.state ?? {}) as { usr?: Record<string, unknown> };
    window.history.replaceState({ ...state, usr: { ...(state.usr ?? {}), reportSent: true } }, "");
    // A transition: React renders the receipt page in slices, the long form goes in one commit
    // (the page never freezes for long at the very end of a submit).
    startTransition(() => setSent(ok));
  }

  if (sent) {
    return (
      <ReceiptView
        via="js"
        receipt={sent.receipt}
        acknowledgeBy={sent.acknowledgeBy}
        feedbackBy={sent.feedbackBy}
      />
    );
  }
  if (actionData?.kind === "receipt") {
    return (
      <ReceiptView
        via="nojs"
        receipt={actionData.receipt}
        acknowledgeBy={actionData.acknowledgeBy}
        feedbackBy={actionData.feedbackBy}
        confirmed={actionData.confirmed}
        confirmProblems={actionData.confirmProblems}
      />
    );
  }
  if (sentEarlier) {
    return (
      <section className="sent-earlier" aria-labelledby="sent-earlier-title">
        <h1 id="sent-earlier-title">{t("resident.form.sentEarlierTitle")}</h1>
        <p className="notice notice-warn">{t("resident.form.sentEarlierBody")}</p>
        <p className="button-row">
          <a className="button" href="/status">
            {t("resident.receipt.statusLink")}
          </a>{" "}
          <button
            type="button"
            className="button button-quiet"
            onClick={() =>
              navigate(location.pathname + location.search, { replace: true, state: null })
            }
          >
            {t("resident.form.writeAgain")}
          </button>
        </p>
      </section>
    );
  }
  if (loaderData.mode === "limited") {
    return (
      <>
        <h1>{t("resident.pageTitle")}</h1>
        <p className="notice notice-warn" role="alert">
          {loaderData.message}
        </p>
      </>
    );
  }
  if (loaderData.mode === "choose") {
    return (
      <>
        <h1>{t("resident.pageTitle")}</h1>
        {actionData?.error ? (
          <p className="notice notice-danger" role="alert">
            {actionData.error}
          </p>
        ) : null}
        <DistrictChooser choices={loaderData.choices} initialQuery={loaderData.q} />
      </>
    );
  }
  const { page, teamWindows, salt } = loaderData;
  const districtName = en ? page.district.nameEn : page.district.nameZh;
  const refused = actionData?.kind === "problems" ? actionData : undefined;
  return (
    <>
      <script
        nonce={nonce}
        suppressHydrationWarning
        dangerouslySetInnerHTML={{ __html: HOLD_SUBMIT_UNTIL_READY }}
      />
      <p className="breadcrumb">
        <a href="/report">{t("resident.district.change")}</a>
      </p>
      <h1>
        {t(
          page.panel?.routedTo === "team"
            ? "resident.district.heading"
            : "resident.district.headingOffice",
          { district: districtName },
        )}
      </h1>
      {refused ? <RefusalSummary refused={refused} /> : null}
      <ReaderPanel panel={page.panel} teamWindows={teamWindows} districtName={districtName} />
      {page.panel ? (
        <>
          <noscript>
            <section className="notice notice-warn" aria-labelledby="nojs-title">
              <h2 id="nojs-title">{t("resident.nojs.title")}</h2>
              <p>{t("resident.nojs.body")}</p>
            </section>
          </noscript>
          <ReportForm
            page={page}
            salt={salt}
            serverProblems={refused?.problems}
            values={refused?.values}
            onSent={onSent}
          />
        </>
      ) : null}
    </>
  );
}

/**
 * A refused no-JS submission: what to change, first thing on the page and focused (the page opens
 * at it), with links to the fields; that the text is all still there; which files to pick again.
 */
function RefusalSummary({ refused }: { refused: Extract<ActionResult, { kind: "problems" }> }) {
  const { t, locale } = useI18n();
  const count = refused.problems.length;
  return (
    <section
      className="notice notice-danger error-summary"
      id="error-summary"
      aria-labelledby="error-summary-title"
      tabIndex={-1}
      autoFocus
    >
      <h2 id="error-summary-title">
        {count > 0 ? t("resident.errors.summary", { count }) : refused.error}
      </h2>
      {count > 0 ? (
        <ul>
          {refused.problems.map((p, i) => (
            <li key={i}>
              <a href={`#${problemAnchor(p.field)}`}>{problemMessage(t, p)}</a>
            </li>
          ))}
        </ul>
      ) : null}
      {count > 0 && refused.error ? <p>{refused.error}</p> : null}
      {Object.keys(refused.values).length > 0 ? <p>{t("resident.errors.keptText")}</p> : null}
      {refused.files.length > 0 ? (
        <p data-testid="files-again">
          {t("resident.errors.filesAgain", {
            names: refused.files.join(locale === "en" ? ", " : "、"),
          })}
        </p>
      ) : null}
    </section>
  );
}
