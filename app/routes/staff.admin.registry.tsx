/**
 * /staff/admin/registry — the office's registry of zones, districts and units (issue 10 item 1):
 * what it holds, CSV export per kind, and CSV import in two steps that both work without
 * JavaScript — preview (every bad row with its row number and reason, or what would change), then
 * confirm (checked again and written all-or-nothing, app/services/registry.server.ts).
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { StaffLayout } from "~/components/staff/StaffLayout";
import {
  staffHeaders,
  staffLinks,
  staffMeta,
  STAFF_NO_STORE,
} from "~/components/staff/route-helpers";
import type { MessageKey } from "~/i18n/types";
import { useI18n } from "~/i18n/use-t";
import { staffLayoutData } from "~/services/auth.server";
import { requirePermission } from "~/services/permissions.server";
import {
  registryAction,
  registryPageData,
  type RegistryActionData,
} from "~/services/registry-page.server";

export const headers = staffHeaders;
export const meta = staffMeta;
export const links = staffLinks;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requirePermission(context.db, request, "staff:manage:office");
  return data(
    {
      user: staffLayoutData(context.env, session),
      ...(await registryPageData(context.db, session.staff.jurisdictionId)),
    },
    { headers: STAFF_NO_STORE },
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requirePermission(context.db, request, "staff:manage:office");
  const { status, body } = await registryAction(context.db, context.env, session, request);
  return data(body, { status, headers: STAFF_NO_STORE });
}

/** How many row problems the page lists; the rest are counted. */
const SHOWN_ERRORS = 200;

export default function AdminRegistry() {
  const { user, counts, kinds } = useLoaderData<typeof loader>();
  const result = useActionData<RegistryActionData>();
  const busy = useNavigation().state !== "idle";
  const { t } = useI18n();
  const kindName = (k: string) => t(`office.registry.kinds.${k}` as MessageKey);
  const selected = result?.kind ?? "units";
  const badRows = result?.rowErrors ? new Set(result.rowErrors.map((e) => e.row)).size : 0;

  return (
    <StaffLayout user={user}>
      <section className="office-registry" aria-labelledby="registry-title">
        <h1 id="registry-title">{t("office.registry.title")}</h1>
        <p>{t("office.registry.intro")}</p>

        {result?.imported ? (
          <p className="notice" role="status" data-imported="">
            {t("office.registry.imported", { kind: kindName(result.kind!), ...result.imported })}
          </p>
        ) : null}
        {result?.badInput ? (
          <p className="notice notice-danger" role="alert">
            {t("office.registry.badInput")}
          </p>
        ) : null}
        {result?.fileError ? (
          <p className="notice notice-danger" role="alert" data-file-error={result.fileError.code}>
            {t(`office.registry.fileErrors.${result.fileError.code}` as MessageKey, {
              row: result.fileError.row ?? 0,
              max: result.fileError.max ?? 0,
              columns: (result.fileError.columns ?? []).join(", "),
            })}
          </p>
        ) : null}
        {result?.rowErrors ? (
          <div className="notice notice-danger" role="alert">
            <p>{t("office.registry.nothingImported", { count: badRows })}</p>
            <div className="audit-table-wrap">
              <table className="audit-table registry-errors">
                <thead>
                  <tr>
                    <th scope="col">{t("office.registry.row")}</th>
                    <th scope="col">{t("office.registry.column")}</th>
                    <th scope="col">{t("office.registry.reason")}</th>
                  </tr>
                </thead>
                <tbody>
                  {result.rowErrors.slice(0, SHOWN_ERRORS).map((e, i) => (
                    <tr key={i} data-row={e.row} data-code={e.code}>
                      <td>{e.row === 0 ? t("office.registry.wholeFile") : e.row}</td>
                      <td>{e.column ? <code>{e.column}</code> : "—"}</td>
                      <td>{t(`office.registry.errors.${e.code}` as MessageKey)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {result.rowErrors.length > SHOWN_ERRORS ? (
              <p>
                {t("office.registry.moreErrors", {
                  count: result.rowErrors.length - SHOWN_ERRORS,
                })}
              </p>
            ) : null}
          </div>
        ) : null}
        {result?.preview && result.csv !== undefined ? (
          <Form method="post" encType="multipart/form-data" className="card registry-confirm">
            <p role="status" data-preview="">
              {t("office.registry.summary", { ...result.preview })}
            </p>
            <input type="hidden" name="csrf" value={user.csrf} />
            <input type="hidden" name="intent" value="import" />
            <input type="hidden" name="kind" value={result.kind} />
            <input type="hidden" name="csv" value={result.csv} />
            <button type="submit" className="button" disabled={busy}>
              {t("office.registry.confirm", { rows: result.preview.rows })}
            </button>
          </Form>
        ) : null}

        <h2>{t("office.registry.overview")}</h2>
        <div className="audit-table-wrap">
          <table className="audit-table registry-overview">
            <thead>
              <tr>
                <th scope="col">{t("office.registry.kind")}</th>
                <th scope="col">{t("office.registry.count")}</th>
                <th scope="col">{t("office.registry.export")}</th>
              </tr>
            </thead>
            <tbody>
              {kinds.map((k) => (
                <tr key={k.kind}>
                  <th scope="row">{kindName(k.kind)}</th>
                  <td data-count={k.kind}>{counts[k.kind]}</td>
                  <td>
                    <a href={`/staff/admin/registry/export/${k.kind}`} download>
                      {t("office.registry.exportLink", { kind: kindName(k.kind) })}
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>

        <h2>{t("office.registry.importTitle")}</h2>
        <p className="hint">{t("office.registry.order")}</p>
        <Form method="post" encType="multipart/form-data" className="registry-import">
          <input type="hidden" name="csrf" value={user.csrf} />
          <input type="hidden" name="intent" value="preview" />
          <fieldset>
            <legend>{t("office.registry.kind")}</legend>
            {kinds.map((k) => (
              <label key={k.kind} className="choice">
                <input
                  type="radio"
                  name="kind"
                  value={k.kind}
                  defaultChecked={k.kind === selected}
                  required
                />
                {kindName(k.kind)}
              </label>
            ))}
          </fieldset>
          <label htmlFor="registry-file">{t("office.registry.file")}</label>
          <input id="registry-file" name="file" type="file" accept=".csv,text/csv,text/plain" />
          <label htmlFor="registry-paste">{t("office.registry.paste")}</label>
          <textarea id="registry-paste" name="csv" rows={4} spellCheck={false} />
          <button type="submit" className="button" disabled={busy}>
            {t("office.registry.preview")}
          </button>
        </Form>
        <ul className="hint registry-columns">
          {kinds.map((k) => (
            <li key={k.kind}>
              {t("office.registry.columns", {
                kind: kindName(k.kind),
                columns: k.columns.map((c) => (c.required ? `${c.name}*` : c.name)).join(", "),
              })}
              {k.kindValues.length > 0
                ? " " + t("office.registry.kindValues", { values: k.kindValues.join(", ") })
                : null}
            </li>
          ))}
        </ul>
      </section>
    </StaffLayout>
  );
}
