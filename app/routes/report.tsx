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
import { useActionData, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import {
  MAX_REPORT_FILE_BYTES,
  MAX_REPORT_FILES,
  MAX_REPORT_TOTAL_BYTES,
  validateReport,
  type FieldProblem,
  type FormValues,
} from "~/client/report/model";
import type { SubmitOk } from "~/client/report/report-client";
import { DistrictChooser } from "~/components/report/DistrictChooser";
import { ReaderPanel } from "~/components/report/ReaderPanel";
import { ReceiptView } from "~/components/report/ReceiptView";
import { ReportForm } from "~/components/report/ReportForm";
import { serverT } from "~/i18n/messages.server";
import type { MessageKey } from "~/i18n/types";
import { useI18n } from "~/i18n/use-t";
import { useNonce } from "~/nonce";
import { readUpload } from "~/services/attachments.server";
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
import reportStyles from "~/styles/report.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: reportStyles }];
export const headers: HeadersFunction = () => NO_STORE;
/**
 * "same-origin", not the site-wide "no-referrer": under no-referrer Chromium sends `Origin: null`
 * with a form POST, which Remix's CSRF check rejects (500), breaking the no-JS path. Nothing is
 * sent to other origins either way.
 */
export const meta: MetaFunction = () => [{ name: "referrer", content: "same-origin" }];

export function loader({ request, context }: LoaderFunctionArgs) {
  const { t } = serverT(request);
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
      { mode: "choose" as const, choices: districtChoices(context.db), q },
      { headers: NO_STORE },
    );
  }
  const page = reportPageDistrict(context.db, context.env, districtId.slice(0, 100));
  if (!page) throw new Response(t("resident.district.unknown"), { status: 404 });
  return data(
    { mode: "district" as const, page, salt: receiptSaltForReport(context.env) },
    { headers: NO_STORE },
  );
}

type ActionResult =
  | { kind: "problems"; problems: FieldProblem[]; error: string | null; values: FormValues }
  | {
      kind: "receipt";
      receipt: string;
      acknowledgeBy: string;
      feedbackBy: string;
      confirmed: boolean;
      confirmError: string | null;
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

/** The no-JavaScript path: receipt confirmation, or a whole report encrypted on arrival. */
export async function action({ request, context }: ActionFunctionArgs) {
  const { t, locale } = serverT(request);
  const problem = (status: number, error: string, values: FormValues = {}) =>
    data<ActionResult>(
      { kind: "problems", problems: [], error, values },
      { status, headers: NO_STORE },
    );

  const type = request.headers.get("Content-Type") ?? "";
  if (type.startsWith("application/x-www-form-urlencoded")) {
    const c = checkReceiptConfirmation(Object.fromEntries(await request.formData()), t);
    if (!c.ok) return problem(400, t("resident.errors.badRequest"));
    return data<ActionResult>(
      {
        kind: "receipt",
        receipt: c.receipt,
        acknowledgeBy: c.acknowledgeBy,
        feedbackBy: c.feedbackBy,
        confirmed: c.confirmError === null,
        confirmError: c.confirmError,
      },
      { status: c.confirmError ? 400 : 200, headers: NO_STORE },
    );
  }

  if (!reportSubmissions.hit(context.clientKey)) {
    const minutes = reportSubmissions.retryAfterMinutes(context.clientKey);
    return data<ActionResult>(
      {
        kind: "problems",
        problems: [],
        error: t("resident.errors.tooMany", { minutes }),
        values: {},
      },
      { status: 429, headers: { ...NO_STORE, "Retry-After": String(minutes * 60) } },
    );
  }
  const upload = await readUpload(
    request,
    MAX_REPORT_TOTAL_BYTES + 1024 * 1024,
    MAX_REPORT_FILE_BYTES + 64 * 1024,
  );
  if (!upload.ok) {
    return upload.code === "too_large"
      ? problem(
          413,
          t("resident.errors.requestTooLarge", { max: formatSize(locale, MAX_REPORT_TOTAL_BYTES) }),
        )
      : problem(400, t("resident.errors.badRequest"));
  }
  const form = upload.form;
  const values: Record<string, string> = {};
  for (const k of TEXT_FIELDS) {
    const val = form.get(k);
    if (typeof val === "string") values[k] = val.slice(0, 20_000);
  }
  const files: PlainFile[] = [];
  for (const f of form.getAll("files")) {
    if (typeof f === "string" || f.size === 0) continue; // an empty file input sends one empty part
    files.push({
      name: f.name.slice(0, 200),
      type: f.type,
      data: new Uint8Array(await f.arrayBuffer()),
    });
  }
  const checked = validateReport(
    values,
    files.map((f) => ({ name: f.name, type: f.type, size: f.data.length })),
    (f) => t(`resident.form.${f}` as MessageKey),
  );
  if (!checked.ok) {
    return data<ActionResult>(
      { kind: "problems", problems: checked.problems, error: null, values },
      { status: 400, headers: NO_STORE },
    );
  }
  const result = await submitPlainReport(
    context.db,
    context.env,
    checked.fields,
    checked.identity,
    checked.onlyOutsiders,
    files,
  );
  if (!result.ok) {
    const status = result.code === "no_reader" || result.code === "recipients_changed" ? 409 : 400;
    return problem(status, submitErrorMessage(t, locale, result.code), values);
  }
  return data<ActionResult>(
    {
      kind: "receipt",
      receipt: result.receipt,
      acknowledgeBy: result.acknowledgeBy.toISOString(),
      feedbackBy: result.feedbackBy.toISOString(),
      confirmed: false,
      confirmError: null,
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
  const [sent, setSent] = useState<SubmitOk | null>(null);
  const en = locale === "en";

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
        confirmError={actionData.confirmError}
      />
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
  const { page, salt } = loaderData;
  const districtName = en ? page.district.nameEn : page.district.nameZh;
  const sizes = {
    count: MAX_REPORT_FILES,
    each: formatMb(MAX_REPORT_FILE_BYTES),
    total: formatMb(MAX_REPORT_TOTAL_BYTES),
  };
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
      <ReaderPanel panel={page.panel} districtName={districtName} />
      {page.panel ? (
        <>
          <section className="card before" aria-labelledby="before-title">
            <h2 id="before-title">{t("resident.before.title")}</h2>
            <ul>
              <li>{t("resident.before.anonymous")}</li>
              <li>{t("resident.before.files", sizes)}</li>
              <li>{t("resident.before.exif")}</li>
              <li>{t("resident.before.receipt")}</li>
            </ul>
          </section>
          <noscript>
            <section className="notice notice-warn" aria-labelledby="nojs-title">
              <h2 id="nojs-title">{t("resident.nojs.title")}</h2>
              <p>{t("resident.nojs.body")}</p>
            </section>
          </noscript>
          <ReportForm
            page={page}
            salt={salt}
            serverProblems={actionData?.kind === "problems" ? actionData.problems : undefined}
            serverError={actionData?.kind === "problems" ? actionData.error : null}
            values={actionData?.kind === "problems" ? actionData.values : undefined}
            onSent={setSent}
          />
        </>
      ) : null}
    </>
  );
}

function formatMb(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MB`;
}
