/**
 * /staff/inbox — the triage desk: tips of my team's current stationings that I hold a key for.
 * The server renders the clear metadata; once the key is unlocked the browser fetches the
 * ciphertext, decrypts every tip in one batch and filters, sorts, searches and pages in memory.
 *
 * At laptop widths: a dense list with a reading pane; keyboard j/k (move), Enter (open),
 * x (select), Esc (close the pane), / (search); bulk assign, label and status for the selected
 * tips. Filters, sort and page live in the URL (not the search text: it is tip content).
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import {
  useLoaderData,
  useNavigate,
  useRevalidator,
  useSearchParams,
  type ShouldRevalidateFunction,
} from "@remix-run/react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { CaseNotice, type Notice } from "~/components/cases/CaseNotice";
import { StaffLayout } from "~/components/staff/StaffLayout";
import {
  staffHeaders,
  staffLinks,
  staffMeta,
  STAFF_NO_STORE,
} from "~/components/staff/route-helpers";
import { UnlockPanel } from "~/components/cases/UnlockPanel";
import { useStaffKey } from "~/components/cases/useStaffKey";
import { BulkBar, type BulkRequest } from "~/components/cases/inbox/BulkBar";
import { InboxNotices, StationedLine } from "~/components/cases/inbox/InboxNotices";
import { ReadingPane } from "~/components/cases/inbox/ReadingPane";
import { TriageTable } from "~/components/cases/inbox/TriageTable";
import {
  filtersFromParams,
  InboxSearch,
  sortRows,
  filtersToParams,
  type InboxFilters,
  type InboxViewRow,
} from "~/components/cases/inbox-query";
import type { Decrypted } from "~/client/staff/inbox-client";
import type { MessageKey } from "~/i18n/types";
import { useI18n } from "~/i18n/use-t";
import { staffLayoutData } from "~/services/auth.server";
import { inboxContext, loadInbox } from "~/services/inbox.server";
import { can, requirePermission } from "~/services/permissions.server";
import {
  CASE_PRIORITIES as PRIORITIES,
  CASE_STATUSES as PUBLIC_STATUSES,
} from "~/components/cases/enums";

export const headers = staffHeaders;
export const meta = staffMeta;
export const links = staffLinks;
export const handle = { wide: true };

const PAGE_SIZE = 100;

/** The unlock form was sent: the decryption workers load while the passphrase's argon2id runs. */
function warmInbox() {
  void import("~/client/staff/inbox-client").then((m) => m.warmOpenPool());
}
/** The reading pane appears from this width on (the stylesheet uses the same breakpoint). */
const PANE_QUERY = "(min-width: 70rem)";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requirePermission(context.db, request, "tip:read:team");
  const canAssign = can(session.roles, "tip:assign:team");
  return data(
    {
      user: staffLayoutData(context.env, session),
      me: session.staff.id,
      canAssign,
      rows: await loadInbox(context.db, session, { ciphertext: false }),
      context: await inboxContext(context.db, session, { canAssign }),
    },
    { headers: STAFF_NO_STORE },
  );
}

/** Filters live in the URL; changing them re-filters in the browser, never reloads the rows. */
export const shouldRevalidate: ShouldRevalidateFunction = ({
  currentUrl,
  nextUrl,
  formMethod,
  defaultShouldRevalidate,
}) =>
  !formMethod && currentUrl.pathname === nextUrl.pathname && currentUrl.search !== nextUrl.search
    ? false
    : defaultShouldRevalidate;

export default function Inbox() {
  const { user, me, canAssign, rows: serverRows, context } = useLoaderData<typeof loader>();
  const { t } = useI18n();
  const key = useStaffKey();
  const navigate = useNavigate();
  const revalidator = useRevalidator();
  const [params, setParams] = useSearchParams();
  // The URL is the filters' home (a reload or a shared link keeps them), but the controls answer
  // at once: the URL catches up through a navigation, which a busy laptop may take a while to do,
  // and a second change in the meantime must start from the first, not from the stale URL.
  const urlFilters = useMemo(() => filtersFromParams(params), [params]);
  const [filters, setFilterState] = useState(urlFilters);
  const latestFilters = useRef(urlFilters);
  useEffect(() => {
    latestFilters.current = urlFilters;
    setFilterState(urlFilters);
  }, [urlFilters]);
  const [search, setSearch] = useState("");
  const [decrypted, setDecrypted] = useState<Map<string, Decrypted>>(() => new Map());
  const [progress, setProgress] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<string>>(() => new Set());
  const [current, setCurrent] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [busy, setBusy] = useState(false);
  const focusCurrent = useRef(false);
  const searchRef = useRef<HTMLInputElement>(null);

  const setFilters = useCallback(
    (patch: Partial<InboxFilters>) => {
      const next = { ...latestFilters.current, page: 1, ...patch };
      latestFilters.current = next;
      setFilterState(next);
      setParams(filtersToParams(next), { replace: true, preventScrollReset: true });
      if (!("page" in patch)) setSelected(new Set());
    },
    [setParams],
  );

  // Decrypt once per unlock, and again only when the server lists tips we have not opened.
  const missing = !!key && serverRows.some((r) => !decrypted.has(r.id));
  useEffect(() => {
    if (!key) {
      setDecrypted(new Map());
      setProgress(null);
      return;
    }
    if (!missing) return;
    let live = true;
    setProgress(t("cases.inbox.decrypting", { count: serverRows.length }));
    const started = performance.now();
    void import("~/client/staff/inbox-client").then(async (m) => {
      try {
        const result = await m.fetchAndDecryptInbox(key.keys);
        if (!live) return;
        setDecrypted(result.decrypted);
        setProgress(
          t("cases.inbox.decrypted", {
            count: result.decrypted.size,
            ms: Math.round(performance.now() - started),
          }),
        );
        // Fetch + decrypt + first render, for the benchmark (scripts/bench-inbox.ts).
        requestAnimationFrame(() => {
          document.body.dataset.inboxMs = String(Math.round(performance.now() - started));
          document.body.dataset.inboxFetchMs = String(Math.round(result.fetchMs));
          document.body.dataset.inboxDecryptMs = String(Math.round(result.decryptMs));
          document.body.dataset.inboxWorkers = String(result.workers);
          document.body.dataset.inboxReady = String(result.decrypted.size);
        });
      } catch {
        if (live) setProgress(t("cases.errors.network"));
      }
    });
    return () => {
      live = false;
    };
    // serverRows.length only feeds the progress text.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, missing, t]);

  const rows: InboxViewRow[] = useMemo(
    () =>
      serverRows.map((r) => {
        const d = key ? decrypted.get(r.id) : undefined;
        return {
          ...r,
          content: d?.content,
          haystack: [d?.haystack ?? "", ...r.labels, r.unit?.zh ?? "", r.unit?.en ?? "", r.id]
            .join("\n")
            .toLowerCase(),
        };
      }),
    [serverRows, decrypted, key],
  );
  // Sorted once per order; each keystroke only filters (InboxSearch narrows as the text grows).
  const sorted = useMemo(() => sortRows(rows, filters.sort), [rows, filters.sort]);
  const searcher = useRef(new InboxSearch<InboxViewRow>());
  const shown = useMemo(
    () => searcher.current.run(sorted, filters, search, me),
    [sorted, filters, search, me],
  );
  const pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
  const page = Math.min(filters.page, pages);
  const slice = shown.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const currentRow = rows.find((r) => r.id === current) ?? null;

  // After a keyboard move, focus the current row's link (which also scrolls it into view).
  useEffect(() => {
    if (!focusCurrent.current || !current) return;
    focusCurrent.current = false;
    document
      .querySelector<HTMLElement>(`[data-inbox-row="${current}"] .triage-open`)
      ?.focus({ preventScroll: false });
  }, [current, page]);

  const move = useCallback(
    (delta: number) => {
      if (shown.length === 0) return;
      const at = current ? shown.findIndex((r) => r.id === current) : -1;
      const next =
        at < 0 ? (page - 1) * PAGE_SIZE : Math.max(0, Math.min(shown.length - 1, at + delta));
      const target = shown[next]!;
      const targetPage = Math.floor(next / PAGE_SIZE) + 1;
      if (targetPage !== page) setFilters({ page: targetPage });
      focusCurrent.current = true;
      setCurrent(target.id);
    },
    [shown, current, page, setFilters],
  );

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
      const el = e.target as HTMLElement | null;
      if (el?.closest("input, textarea, select, [contenteditable='true']")) {
        if (e.key === "Escape" && el.matches("input[type=search]")) el.blur();
        return;
      }
      if (el?.closest("dialog")) return;
      switch (e.key) {
        case "j":
          e.preventDefault();
          move(1);
          break;
        case "k":
          e.preventDefault();
          move(-1);
          break;
        case "Enter":
          // Links and buttons handle Enter themselves.
          if (current && !el?.closest("a, button")) {
            e.preventDefault();
            navigate(`/staff/tips/${current}`);
          }
          break;
        case "Escape":
          if (current) {
            e.preventDefault();
            setCurrent(null);
            (document.activeElement as HTMLElement | null)?.blur();
          }
          break;
        case "x":
          if (current) {
            e.preventDefault();
            setSelected((s) => toggled(s, current, !s.has(current)));
          }
          break;
        case "/":
          e.preventDefault();
          searchRef.current?.focus();
          break;
      }
    }
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [move, current, navigate]);

  function onRowClick(id: string) {
    // Without the reading pane (phones), a tap on the row opens the case.
    if (!window.matchMedia(PANE_QUERY).matches) navigate(`/staff/tips/${id}`);
    else setCurrent(id);
  }

  async function runBulk(action: BulkRequest) {
    setBusy(true);
    setNotice(null);
    try {
      const { staffApi } = await import("~/client/staff/api");
      const res = await staffApi<{ updated: string[]; failed: { id: string; code: string }[] }>(
        "/api/staff/tips/bulk",
        user.csrf,
        { tipIds: [...selected], action },
      );
      const reasons = [
        ...new Set(res.failed.map((f) => t(`cases.errors.${f.code}` as MessageKey))),
      ];
      setNotice({
        ok: res.failed.length === 0,
        text:
          t("cases.bulk.done", { count: res.updated.length }) +
          (res.failed.length > 0
            ? " " +
              t("cases.bulk.failed", { count: res.failed.length, reasons: reasons.join("；") })
            : ""),
      });
      setSelected(new Set(res.failed.map((f) => f.id)));
      revalidator.revalidate();
    } catch (err) {
      const e = err as { serverMessage?: string };
      setNotice({ ok: false, text: e.serverMessage ?? t("cases.errors.network") });
    } finally {
      setBusy(false);
    }
  }

  return (
    <StaffLayout user={user}>
      <section aria-labelledby="inbox-title" className="cases triage">
        <div className="triage-top">
          <div>
            <h1 id="inbox-title">{t("cases.inbox.title")}</h1>
            <p className="cases-hint">{t("cases.inbox.intro")}</p>
            <StationedLine context={context} />
          </div>
          <UnlockPanel onUnlocking={warmInbox} />
        </div>
        <InboxNotices context={context} total={serverRows.length} />
        <form className="triage-filters" role="search" onSubmit={(e) => e.preventDefault()}>
          <label className="triage-search">
            {t("cases.inbox.search")}
            <input
              ref={searchRef}
              type="search"
              name="q"
              value={search}
              disabled={!key}
              placeholder={key ? t("cases.inbox.searchHint") : t("cases.inbox.searchLocked")}
              onChange={(e) => {
                setSearch(e.target.value);
                if (filters.page !== 1) setFilters({ page: 1 });
              }}
            />
          </label>
          <label>
            {t("cases.inbox.filterStatus")}
            <select value={filters.status} onChange={(e) => setFilters({ status: e.target.value })}>
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
            <select
              value={filters.priority}
              onChange={(e) => setFilters({ priority: e.target.value })}
            >
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
              value={filters.sort}
              onChange={(e) => setFilters({ sort: e.target.value as InboxFilters["sort"] })}
            >
              <option value="newest">{t("cases.inbox.sortNewest")}</option>
              <option value="oldest">{t("cases.inbox.sortOldest")}</option>
              <option value="deadline">{t("cases.inbox.sortDeadline")}</option>
              <option value="priority">{t("cases.inbox.sortPriority")}</option>
            </select>
          </label>
          <div className="triage-filters-more">
            <fieldset className="triage-checks">
              <legend className="visually-hidden">{t("cases.inbox.show")}</legend>
              <label className="cases-check">
                <input
                  type="checkbox"
                  checked={filters.overdue}
                  onChange={(e) => setFilters({ overdue: e.target.checked })}
                />
                {t("cases.inbox.filterOverdue")}
              </label>
              <label className="cases-check">
                <input
                  type="checkbox"
                  checked={filters.unread}
                  onChange={(e) => setFilters({ unread: e.target.checked })}
                />
                {t("cases.inbox.filterUnread")}
              </label>
              <label className="cases-check">
                <input
                  type="checkbox"
                  checked={filters.mine}
                  onChange={(e) => setFilters({ mine: e.target.checked })}
                />
                {t("cases.inbox.filterMine")}
              </label>
            </fieldset>
            <p className="cases-count" aria-live="polite">
              {t("cases.inbox.count", { count: rows.length, shown: shown.length })}
            </p>
            {progress ? (
              <p role="status" className="cases-progress">
                {progress}
              </p>
            ) : null}
          </div>
        </form>
        <CaseNotice notice={notice} />
        {selected.size > 0 ? (
          <BulkBar
            count={selected.size}
            canAssign={canAssign}
            assignees={context.assignees}
            busy={busy}
            onRun={(a) => void runBulk(a)}
            onClear={() => setSelected(new Set())}
          />
        ) : null}
        <div className="triage-body">
          <div className="triage-listcol">
            {slice.length === 0 ? (
              <p className="card">{t("cases.inbox.empty")}</p>
            ) : (
              <TriageTable
                rows={slice}
                unlocked={!!key}
                selected={selected}
                current={current}
                onToggle={(id, on) => setSelected((s) => toggled(s, id, on))}
                onToggleAll={(on) =>
                  setSelected((s) => slice.reduce((acc, r) => toggled(acc, r.id, on), s))
                }
                onCurrent={onRowClick}
                onFocusRow={setCurrent}
              />
            )}
            {pages > 1 ? (
              <nav className="cases-pager" aria-label={t("cases.inbox.page", { page, pages })}>
                <button
                  type="button"
                  className="button button-quiet"
                  disabled={page <= 1}
                  onClick={() => setFilters({ page: page - 1 })}
                >
                  {t("cases.inbox.prev")}
                </button>
                <span>{t("cases.inbox.page", { page, pages })}</span>
                <button
                  type="button"
                  className="button button-quiet"
                  disabled={page >= pages}
                  onClick={() => setFilters({ page: page + 1 })}
                >
                  {t("cases.inbox.next")}
                </button>
              </nav>
            ) : null}
            <p id="inbox-keys" className="cases-hint triage-keys">
              {t("cases.inbox.keys")}
            </p>
          </div>
          <ReadingPane row={currentRow} unlocked={!!key} onClose={() => setCurrent(null)} />
        </div>
      </section>
    </StaffLayout>
  );
}

function toggled(set: ReadonlySet<string>, id: string, on: boolean): Set<string> {
  const next = new Set(set);
  if (on) next.add(id);
  else next.delete(id);
  return next;
}
