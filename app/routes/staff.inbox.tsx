/**
 * /staff/inbox — tips of my team's current stationings that I hold a key for. The server renders
 * the clear metadata; once the key is unlocked the browser fetches the ciphertext, decrypts all
 * tips in one batch and filters, sorts, searches and pages them in memory.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useEffect, useMemo, useState } from "react";
import { StaffLayout } from "~/components/staff/StaffLayout";
import {
  staffHeaders,
  staffLinks,
  staffMeta,
  STAFF_NO_STORE,
} from "~/components/staff/route-helpers";
import { UnlockPanel } from "~/components/cases/UnlockPanel";
import { useStaffKey } from "~/components/cases/useStaffKey";
import type {
  DecryptedRow,
  InboxQuery,
  InboxWireRow,
  queryInbox,
} from "~/client/staff/inbox-client";
import { formatDate, formatDateTime } from "~/i18n/translate";
import type { MessageKey } from "~/i18n/types";
import { useI18n } from "~/i18n/use-t";
import { staffLayoutData } from "~/services/auth.server";
import { loadInbox } from "~/services/inbox.server";
import { requirePermission } from "~/services/permissions.server";
import {
  CASE_PRIORITIES as PRIORITIES,
  CASE_STATUSES as PUBLIC_STATUSES,
} from "~/components/cases/enums";

export const headers = staffHeaders;
export const meta = staffMeta;
export const links = staffLinks;

const PAGE_SIZE = 50;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requirePermission(context.db, request, "tip:read:team");
  return data(
    {
      user: staffLayoutData(context.env, session),
      me: session.staff.id,
      rows: await loadInbox(context.db, session, { ciphertext: false }),
    },
    { headers: STAFF_NO_STORE },
  );
}

type Row = InboxWireRow & Partial<Pick<DecryptedRow, "text" | "haystack">>;

/** Same filters as the browser module (imported lazily); duplicated tiny sort keeps SSR light. */
function applyQuery(rows: Row[], q: InboxQuery, run: typeof queryInbox | null) {
  return run ? run(rows, q) : rows;
}

export default function Inbox() {
  const { user, me, rows: serverRows } = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  const key = useStaffKey();
  const [rows, setRows] = useState<Row[]>(serverRows);
  const [progress, setProgress] = useState<string | null>(null);
  const [query, setQuery] = useState<InboxQuery>({
    search: "",
    status: "",
    priority: "",
    overdue: false,
    unread: false,
    assignee: "",
    sort: "newest",
  });
  const [page, setPage] = useState(1);
  const [run, setRun] = useState<typeof queryInbox | null>(null);

  useEffect(() => {
    void import("~/client/staff/inbox-client").then((m) => setRun(() => m.queryInbox));
  }, []);

  useEffect(() => {
    if (!key) {
      setRows(serverRows);
      setProgress(null);
      return;
    }
    let live = true;
    setProgress(t("cases.inbox.decrypting", { count: serverRows.length }));
    const started = performance.now();
    void import("~/client/staff/inbox-client").then(async (m) => {
      try {
        const result = await m.fetchAndDecryptInbox(key.keys);
        if (!live) return;
        setRows(result.rows);
        setProgress(
          t("cases.inbox.decrypted", {
            count: result.rows.length,
            ms: Math.round(performance.now() - started),
          }),
        );
        // Fetch + decrypt + first render, for the benchmark (scripts/bench-inbox.ts).
        requestAnimationFrame(() => {
          document.body.dataset.inboxMs = String(Math.round(performance.now() - started));
          document.body.dataset.inboxDecryptMs = String(Math.round(result.decryptMs));
          document.body.dataset.inboxReady = String(result.rows.length);
        });
      } catch {
        if (live) setProgress(t("cases.errors.network"));
      }
    });
    return () => {
      live = false;
    };
  }, [key, serverRows, t]);

  const shown = useMemo(() => applyQuery(rows, query, run), [rows, query, run]);
  const pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
  const current = Math.min(page, pages);
  const slice = shown.slice((current - 1) * PAGE_SIZE, current * PAGE_SIZE);
  const en = locale === "en";
  const set = (patch: Partial<InboxQuery>) => {
    setQuery((q) => ({ ...q, ...patch }));
    setPage(1);
  };

  return (
    <StaffLayout user={user}>
      <section aria-labelledby="inbox-title" className="cases">
        <h1 id="inbox-title">{t("cases.inbox.title")}</h1>
        <p>{t("cases.inbox.intro")}</p>
        <UnlockPanel />
        {progress ? (
          <p role="status" className="cases-progress">
            {progress}
          </p>
        ) : null}
        <form className="cases-filters" role="search" onSubmit={(e) => e.preventDefault()}>
          <label>
            {t("cases.inbox.search")}
            <input
              type="search"
              name="q"
              value={query.search}
              disabled={!key}
              onChange={(e) => set({ search: e.target.value })}
            />
          </label>
          <label>
            {t("cases.inbox.filterStatus")}
            <select value={query.status} onChange={(e) => set({ status: e.target.value })}>
              <option value="">{t("cases.inbox.all")}</option>
              {PUBLIC_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`cases.status.${s}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("cases.inbox.filterPriority")}
            <select value={query.priority} onChange={(e) => set({ priority: e.target.value })}>
              <option value="">{t("cases.inbox.all")}</option>
              {PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {t(`cases.priority.${p}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("cases.inbox.sort")}
            <select
              value={query.sort}
              onChange={(e) => set({ sort: e.target.value as InboxQuery["sort"] })}
            >
              <option value="newest">{t("cases.inbox.sortNewest")}</option>
              <option value="oldest">{t("cases.inbox.sortOldest")}</option>
              <option value="deadline">{t("cases.inbox.sortDeadline")}</option>
              <option value="priority">{t("cases.inbox.sortPriority")}</option>
            </select>
          </label>
          <label className="cases-check">
            <input
              type="checkbox"
              checked={query.overdue}
              onChange={(e) => set({ overdue: e.target.checked })}
            />
            {t("cases.inbox.filterOverdue")}
          </label>
          <label className="cases-check">
            <input
              type="checkbox"
              checked={query.unread}
              onChange={(e) => set({ unread: e.target.checked })}
            />
            {t("cases.inbox.filterUnread")}
          </label>
          <label className="cases-check">
            <input
              type="checkbox"
              checked={query.assignee === me}
              onChange={(e) => set({ assignee: e.target.checked ? me : "" })}
            />
            {t("cases.inbox.filterMine")}
          </label>
        </form>
        <p className="cases-count">
          {t("cases.inbox.count", { count: rows.length, shown: shown.length })}
        </p>
        {slice.length === 0 ? (
          <p>{t("cases.inbox.empty")}</p>
        ) : (
          <ul className="cases-list">
            {slice.map((r) => (
              <li
                key={r.id}
                className={
                  "card cases-item" +
                  (r.acknowledgeOverdue || r.feedbackOverdue ? " cases-overdue" : "")
                }
              >
                <p className="cases-item-head">
                  <Link to={`/staff/tips/${r.id}`} prefetch="none">
                    {r.unit ? (en ? r.unit.en : r.unit.zh) : t("cases.inbox.unknownUnit")}
                  </Link>
                  <span className="tag">{t(`cases.status.${r.status}` as MessageKey)}</span>
                  <span className={`tag cases-priority-${r.priority}`}>
                    {t(`cases.priority.${r.priority}` as MessageKey)}
                  </span>
                  {r.unread > 0 ? (
                    <span className="tag cases-unread">
                      {t("cases.inbox.unread", { count: r.unread })}
                    </span>
                  ) : null}
                </p>
                <p className="cases-text">
                  {key
                    ? (r.text ?? (r.haystack === undefined ? "…" : t("cases.inbox.undecryptable")))
                    : t("cases.inbox.locked")}
                </p>
                <dl className="cases-meta">
                  <dt>{t("cases.inbox.received")}</dt>
                  <dd>{formatDateTime(locale, r.receivedAt)}</dd>
                  <dt>{t("cases.inbox.category")}</dt>
                  <dd>{t(`cases.category.${r.category ?? "none"}` as MessageKey)}</dd>
                  <dt>{t("cases.inbox.assignee")}</dt>
                  <dd>{r.assignee?.name ?? t("cases.inbox.unassigned")}</dd>
                  <dt>{t("cases.inbox.deadline")}</dt>
                  <dd>
                    <span className={r.acknowledgeOverdue ? "cases-late" : undefined}>
                      {t("cases.inbox.ackBy", { date: formatDate(locale, r.acknowledgeBy) })}
                    </span>{" "}
                    <span className={r.feedbackOverdue ? "cases-late" : undefined}>
                      {t("cases.inbox.feedbackBy", { date: formatDate(locale, r.feedbackBy) })}
                    </span>
                    {r.acknowledgeOverdue || r.feedbackOverdue ? (
                      <strong className="cases-late"> {t("cases.inbox.overdue")}</strong>
                    ) : null}
                  </dd>
                </dl>
              </li>
            ))}
          </ul>
        )}
        {pages > 1 ? (
          <nav className="cases-pager" aria-label={t("cases.inbox.page", { page: current, pages })}>
            <button
              type="button"
              className="button button-quiet"
              disabled={current <= 1}
              onClick={() => setPage(current - 1)}
            >
              {t("cases.inbox.prev")}
            </button>
            <span>{t("cases.inbox.page", { page: current, pages })}</span>
            <button
              type="button"
              className="button button-quiet"
              disabled={current >= pages}
              onClick={() => setPage(current + 1)}
            >
              {t("cases.inbox.next")}
            </button>
          </nav>
        ) : null}
      </section>
    </StaffLayout>
  );
}
