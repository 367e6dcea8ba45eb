/**
 * /staff/audit — the auditor's view of the hash-chained audit log: newest first, 50 a page,
 * filter by actor (username or id), action (prefix, e.g. "session.") and object (type or id),
 * and the chain verification status on top, with the head as an anchor (`rows:hash`) to record
 * off the server and a field to check the chain against an anchor recorded earlier (`?anchor=`:
 * rows up to it unchanged and the chain continuing from it). Read-only; GET forms, no-JS friendly.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { StaffLayout } from "~/components/staff/StaffLayout";
import {
  staffHeaders,
  staffLinks,
  staffMeta,
  STAFF_NO_STORE,
} from "~/components/staff/route-helpers";
import { formatDateTime } from "~/i18n/translate";
import { useI18n } from "~/i18n/use-t";
import { listAudit, staffLayoutData } from "~/services/auth.server";
import { verifyAuditChain } from "~/services/audit.server";
import { formatAuditAnchor, parseAuditAnchor } from "~/shared/audit-anchor";
import { requirePermission } from "~/services/permissions.server";
import { AuditQuery } from "~/services/staff-forms.server";

export const headers = staffHeaders;
export const meta = staffMeta;
export const links = staffLinks;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requirePermission(context.db, request, "audit:read:all");
  const url = new URL(request.url);
  const q = AuditQuery.parse({
    actor: url.searchParams.get("actor") || undefined,
    action: url.searchParams.get("action") || undefined,
    object: url.searchParams.get("object") || undefined,
    page: url.searchParams.get("page") ?? 1,
  });
  // An anchor recorded earlier (off the server): the chain must still hold it.
  const anchorText = (url.searchParams.get("anchor") ?? "").slice(0, 200).trim();
  const anchor = anchorText ? parseAuditAnchor(anchorText) : null;
  const verdict = await verifyAuditChain(context.db, { anchors: anchor ? [anchor] : [] });
  const { rows, hasMore } = await listAudit(context.db, q);
  return data(
    {
      anchorCheck: !anchorText
        ? null
        : !anchor
          ? { state: "invalid" as const, text: anchorText }
          : { state: verdict.ok ? ("held" as const) : ("checked" as const), ...anchor },
      user: staffLayoutData(context.env, session),
      filter: { actor: q.actor ?? "", action: q.action ?? "", object: q.object ?? "" },
      page: q.page,
      hasMore,
      rows,
      chain: verdict.ok
        ? { ok: true as const, rows: verdict.rows, head: verdict.head }
        : { ok: false as const, seq: verdict.brokenSeq, reason: verdict.reason },
    },
    // A malformed anchor is the auditor's input error: the page says so, with a 400.
    { status: anchorText && !anchor ? 400 : 200, headers: STAFF_NO_STORE },
  );
}

export default function StaffAudit() {
  const { user, filter, page, hasMore, rows, chain, anchorCheck } = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  const link = (p: number) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(filter)) if (v) params.set(k, v);
    if (p > 1) params.set("page", String(p));
    const s = params.toString();
    return s ? `/staff/audit?${s}` : "/staff/audit";
  };
  return (
    <StaffLayout user={user}>
      <section aria-labelledby="audit-title">
        <h1 id="audit-title">{t("staff.audit.title")}</h1>
        <p className="muted">{t("staff.audit.intro")}</p>
        {chain.ok ? (
          <p className="notice audit-status-ok" data-testid="chain-status">
            {t("staff.audit.chainOk", { rows: chain.rows, head: chain.head.slice(0, 16) })}
            {chain.rows > 0 ? (
              // An empty chain has nothing to anchor.
              <>
                <br />
                {t("staff.audit.anchor")}{" "}
                <code className="audit-anchor">
                  {formatAuditAnchor({ rows: chain.rows, hash: chain.head })}
                </code>
              </>
            ) : null}
          </p>
        ) : (
          <p className="notice notice-danger" role="alert" data-testid="chain-status">
            {t("staff.audit.chainBroken", {
              seq: chain.seq,
              reason: t(`staff.audit.reason.${chain.reason}`, { seq: chain.seq }),
            })}
          </p>
        )}
        {anchorCheck?.state === "held" ? (
          <p className="notice audit-status-ok" data-testid="anchor-status">
            {t("staff.audit.anchorHeld", {
              rows: anchorCheck.rows,
              hash: anchorCheck.hash.slice(0, 16),
            })}
          </p>
        ) : anchorCheck?.state === "invalid" ? (
          <p className="notice notice-danger" role="alert" data-testid="anchor-status">
            {t("staff.audit.anchorInvalid")}
          </p>
        ) : null}
        <form method="get" className="staff-form audit-anchor-check card">
          <label htmlFor="f-anchor">{t("staff.audit.anchorCheck")}</label>
          <div className="audit-anchor-row">
            <input
              id="f-anchor"
              name="anchor"
              defaultValue={anchorCheck?.state === "invalid" ? anchorCheck.text : ""}
              maxLength={200}
              spellCheck={false}
              autoComplete="off"
              aria-describedby="f-anchor-hint"
            />
            <button type="submit" className="button">
              {t("staff.audit.anchorCheckButton")}
            </button>
          </div>
          <p id="f-anchor-hint" className="muted">
            {t("staff.audit.anchorCheckHint")}
          </p>
        </form>
        <form method="get" className="staff-form audit-filter card">
          <div>
            <label htmlFor="f-actor">{t("staff.audit.filterActor")}</label>
            <input id="f-actor" name="actor" defaultValue={filter.actor} maxLength={100} />
          </div>
          <div>
            <label htmlFor="f-action">{t("staff.audit.filterAction")}</label>
            <input id="f-action" name="action" defaultValue={filter.action} maxLength={100} />
          </div>
          <div>
            <label htmlFor="f-object">{t("staff.audit.filterObject")}</label>
            <input id="f-object" name="object" defaultValue={filter.object} maxLength={200} />
          </div>
          <div className="audit-filter-buttons">
            <button type="submit" className="button">
              {t("staff.audit.filter")}
            </button>{" "}
            <a className="button button-quiet" href="/staff/audit">
              {t("staff.audit.clear")}
            </a>
          </div>
        </form>
        {rows.length === 0 ? (
          <p>{t("staff.audit.empty")}</p>
        ) : (
          <div
            className="audit-table-wrap"
            // Scrolls sideways on a phone: focusable so that keyboards can scroll it too.
            tabIndex={0}
            role="region"
            aria-label={t("staff.audit.title")}
          >
            <table className="audit-table">
              <thead>
                <tr>
                  <th scope="col">{t("staff.audit.seq")}</th>
                  <th scope="col">{t("staff.audit.at")}</th>
                  <th scope="col">{t("staff.audit.actor")}</th>
                  <th scope="col">{t("staff.audit.action")}</th>
                  <th scope="col">{t("staff.audit.object")}</th>
                  <th scope="col">{t("staff.audit.detail")}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.seq}>
                    <td>{r.seq}</td>
                    <td>{formatDateTime(locale, r.at)}</td>
                    <td>
                      {r.actor
                        ? `${r.actor.name ?? ""} (${r.actor.username ?? r.actor.id})`
                        : t("staff.audit.system")}
                    </td>
                    <td>
                      <code>{r.action}</code>
                    </td>
                    <td>
                      {r.objectType}
                      {r.objectId ? (
                        <>
                          {" "}
                          <code title={r.objectId}>
                            {r.objectId.length > 24 ? `${r.objectId.slice(0, 12)}…` : r.objectId}
                          </code>
                        </>
                      ) : null}
                    </td>
                    <td>
                      <code>{r.detail ?? ""}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <nav className="pager" aria-label={t("staff.audit.page", { page })}>
          {page > 1 ? (
            <a className="button button-quiet" href={link(page - 1)} rel="prev">
              {t("staff.audit.newer")}
            </a>
          ) : (
            <span />
          )}
          <span>{t("staff.audit.page", { page })}</span>
          {hasMore ? (
            <a className="button button-quiet" href={link(page + 1)} rel="next">
              {t("staff.audit.older")}
            </a>
          ) : (
            <span />
          )}
        </nav>
      </section>
    </StaffLayout>
  );
}
