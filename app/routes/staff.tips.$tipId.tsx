/**
 * /staff/tips/:tipId — one case. The loader (403 without an envelope, audited as tip.read) sends
 * ciphertext only; the browser opens the tip, thread and status notes with the unlocked key and
 * seals replies, internal notes and status notes before they leave it.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect, useState, type FormEvent } from "react";
import { CaseNotice, type Notice } from "~/components/cases/CaseNotice";
import { StaffLayout } from "~/components/staff/StaffLayout";
import {
  staffHeaders,
  staffLinks,
  staffMeta,
  STAFF_NO_STORE,
} from "~/components/staff/route-helpers";
import { UnlockPanel } from "~/components/cases/UnlockPanel";
import { CaseFindings } from "~/components/outcomes/CaseFindings";
import { useStaffKey } from "~/components/cases/useStaffKey";
import { TipFields } from "~/components/cases/TipFields";
import { Conversation, type ConversationEntry } from "~/components/cases/case/Conversation";
import { Evidence } from "~/components/cases/case/Evidence";
import type { OpenedCase } from "~/client/staff/case-client";
import { tipContent } from "~/client/staff/tip-content";
import { formatDate, formatDateTime } from "~/i18n/translate";
import type { MessageKey } from "~/i18n/types";
import { useI18n } from "~/i18n/use-t";
import { staffLayoutData } from "~/services/auth.server";
import { loadCase } from "~/services/cases.server";
import { can, requirePermission } from "~/services/permissions.server";
import { caseSharing } from "~/services/shares.server";
import {
  CASE_PRIORITIES as PRIORITIES,
  CASE_STATUSES as PUBLIC_STATUSES,
} from "~/components/cases/enums";

export const headers = staffHeaders;
export const meta = staffMeta;
export const links = staffLinks;
export const handle = { wide: true };

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requirePermission(context.db, request, "tip:read:team");
  const found = await loadCase(context.db, session, params.tipId ?? "");
  return data(
    {
      user: staffLayoutData(context.env, session),
      me: session.staff.id,
      canAssign: can(session.roles, "tip:assign:team"),
      canApprove: can(session.roles, "identity:approve:team"),
      ...found,
      sharing: await caseSharing(context.db, context.env, session, {
        tipId: found.tip.id,
        shared: found.shared,
      }),
    },
    { headers: STAFF_NO_STORE },
  );
}

type Busy = null | "reply" | "note" | "status" | "triage" | "reveal" | "identity" | "share";

export default function CasePage() {
  const d = useLoaderData<typeof loader>();
  const { tip } = d;
  const { t, locale } = useI18n();
  const en = locale === "en";
  const key = useStaffKey();
  const revalidator = useRevalidator();
  const [opened, setOpened] = useState<OpenedCase | null>(null);
  const [openError, setOpenError] = useState(false);
  const [busy, setBusy] = useState<Busy>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [identity, setIdentity] = useState<Record<string, unknown> | null>(null);

  useEffect(() => {
    if (!key) {
      setOpened(null);
      return;
    }
    let live = true;
    void import("~/client/staff/case-client").then(async (m) => {
      try {
        const o = await m.openCase(key.keys, d.ciphertext, d.thread, d.history, d.files);
        if (live) {
          setOpened(o);
          setOpenError(false);
          // Seen now (decrypted on screen): mark the tipster's messages read, by POST.
          if (d.thread.some((msg) => msg.unread)) {
            void import("~/client/staff/api").then((api) =>
              api.staffApi(`/api/staff/tips/${d.tip.id}/read`, d.user.csrf, {}).catch(() => {}),
            );
          }
        }
      } catch {
        if (live) setOpenError(true);
      }
    });
    return () => {
      live = false;
    };
  }, [key, d.ciphertext, d.thread, d.history, d.files, d.tip.id, d.user.csrf]);

  async function run(kind: Busy, okText: string, fn: () => Promise<unknown>) {
    setBusy(kind);
    setNotice(null);
    try {
      await fn();
      setNotice({ ok: true, text: okText });
      revalidator.revalidate();
      return true;
    } catch (err) {
      const e = err as { serverMessage?: string };
      setNotice({ ok: false, text: e.serverMessage ?? t("cases.errors.network") });
      return false;
    } finally {
      setBusy(null);
    }
  }

  const formText = (e: FormEvent<HTMLFormElement>, name: string) =>
    String(new FormData(e.currentTarget).get(name) ?? "");

  function onReply(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const text = formText(e, "text").trim();
    if (!text || !opened) return;
    void import("~/client/staff/case-client").then(async (m) => {
      const ok = await run("reply", t("cases.case.sent"), () =>
        m.sendReply(tip.id, d.user.csrf, opened.keys, d.ciphertext.tipsterPublicKey, text),
      );
      if (ok) form.reset();
    });
  }

  function onNote(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const text = formText(e, "text").trim();
    if (!text || !opened) return;
    void import("~/client/staff/case-client").then(async (m) => {
      const ok = await run("note", t("cases.case.noteSaved"), () =>
        m.addNote(tip.id, d.user.csrf, opened.keys, text),
      );
      if (ok) form.reset();
    });
  }

  function onStatus(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const fd = new FormData(form);
    if (!opened) return;
    const input = {
      status: String(fd.get("status") ?? ""),
      text: String(fd.get("text") ?? ""),
      mergedIntoId: String(fd.get("mergedInto") ?? "").trim() || null,
    };
    void import("~/client/staff/case-client").then(async (m) => {
      const ok = await run("status", t("cases.case.statusDone"), () =>
        m.changeStatus(tip.id, d.user.csrf, opened.keys, d.ciphertext.tipsterPublicKey, input),
      );
      if (ok) form.reset();
    });
  }

  function onTriage(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const fd = new FormData(e.currentTarget);
    const body: Record<string, unknown> = {
      priority: String(fd.get("priority")),
      labels: String(fd.get("labels") ?? "")
        .split(/[,，、]/)
        .map((l) => l.trim())
        .filter(Boolean),
    };
    if (d.canAssign) body.assigneeId = String(fd.get("assignee") ?? "") || null;
    void import("~/client/staff/api").then((m) =>
      run("triage", t("cases.case.saved"), () =>
        m.staffApi(`/api/staff/tips/${tip.id}/triage`, d.user.csrf, body),
      ),
    );
  }

  function onReveal(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const reason = formText(e, "reason");
    void import("~/client/staff/api").then(async (m) => {
      const ok = await run("reveal", t("cases.case.requested"), () =>
        m.staffApi(`/api/staff/tips/${tip.id}/identity`, d.user.csrf, { reason }),
      );
      if (ok) form.reset();
    });
  }

  function decide(revealId: string, approve: boolean) {
    void import("~/client/staff/api").then((m) =>
      run("reveal", approve ? t("cases.case.approve") : t("cases.case.reject"), () =>
        m.staffApi(`/api/staff/reveals/${revealId}`, d.user.csrf, { approve }),
      ),
    );
  }

  function onShare(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const to = d.sharing.shareTo.find((c) => c.staffId === formText(e, "to"));
    const reason = formText(e, "reason").trim();
    if (!to || !opened) return;
    void import("~/client/staff/case-client").then(async (m) => {
      const ok = await run("share", t("cases.case.shareDone"), () =>
        m.shareWithLocal(tip.id, d.user.csrf, opened.keys, to, reason),
      );
      if (ok) form.reset();
    });
  }

  function onShowIdentity() {
    if (!key) return;
    void import("~/client/staff/case-client").then((m) =>
      run("identity", t("cases.case.showIdentity"), async () =>
        setIdentity(await m.showIdentity(tip.id, key.keys)),
      ),
    );
  }

  const content = opened ? tipContent(opened.payload) : null;
  const myApproved = d.reveals.some((r) => r.requestedBy === d.me && r.decision === "approved");
  const nameOf = (id: string | null) => d.members.find((m) => m.id === id)?.name ?? "";
  // The thread and the notes sent with status changes, in time order.
  const conversation: ConversationEntry[] = [
    ...d.thread.map((m) => ({
      id: m.id,
      kind: m.kind,
      at: m.at,
      author: m.author,
      text: opened ? (opened.thread[m.id] ?? null) : undefined,
    })),
    ...d.history
      .filter((h) => h.messageCopy)
      .map((h) => ({
        id: h.id,
        kind: "status_note" as const,
        at: h.at,
        author: h.actorId,
        status: h.status,
        text: opened ? (opened.history[h.id] ?? null) : undefined,
      })),
  ].sort((a, b) => a.at.localeCompare(b.at));

  return (
    <StaffLayout user={d.user}>
      <article className="cases cases-case" aria-labelledby="case-title">
        <p className="case-back">
          <Link to="/staff/inbox" prefetch="none">
            {t("cases.case.back")}
          </Link>
        </p>
        <div className="case-top">
          <div>
            <h1 id="case-title">
              {t("cases.case.title", { id: tip.id.slice(4, 12) })}
              {tip.unit ? ` · ${en ? tip.unit.en : tip.unit.zh}` : ""}
            </h1>
            <p className="case-summary">
              <span className="tag">{t(`cases.status.${tip.status}` as MessageKey)}</span>{" "}
              <span className={`tag cases-priority-${tip.priority}`}>
                {t(`cases.priority.${tip.priority}` as MessageKey)}
              </span>{" "}
              <span className={tip.acknowledgeOverdue || tip.feedbackOverdue ? "cases-late" : ""}>
                {tip.acknowledgedAt
                  ? t(
                      tip.feedbackOverdue
                        ? "cases.inbox.feedbackLate"
                        : "cases.inbox.feedbackShort",
                      {
                        date: formatDate(locale, tip.feedbackBy),
                      },
                    )
                  : t(tip.acknowledgeOverdue ? "cases.inbox.ackLate" : "cases.inbox.ackShort", {
                      date: formatDate(locale, tip.acknowledgeBy),
                    })}
              </span>{" "}
              · {nameOf(tip.assigneeId) || t("cases.inbox.unassigned")}
            </p>
          </div>
          <UnlockPanel />
        </div>
        <CaseNotice notice={notice} />

        <div className="case-columns">
          <div className="case-main">
            <section className="card" aria-labelledby="case-content">
              <h2 id="case-content">{t("cases.case.content")}</h2>
              {!key ? (
                <p>{t("cases.case.locked")}</p>
              ) : openError ? (
                <p className="cases-error">{t("cases.errors.decrypt")}</p>
              ) : (
                <>
                  <p className="cases-body case-text" data-testid="case-text">
                    {content?.text ?? "…"}
                  </p>
                  {content ? <TipFields content={content} testId="case-fields" /> : null}
                </>
              )}
              <h3>{t("cases.case.files")}</h3>
              <Evidence
                filesUrl={`/api/staff/tips/${tip.id}/files`}
                files={d.files.map((f) => ({ id: f.id, size: f.size }))}
                refs={opened?.files ?? null}
                unlocked={!!key}
              />
            </section>

            {d.user.permissions.includes("finding:write:team") ? (
              <CaseFindings tipId={tip.id} csrf={d.user.csrf} />
            ) : null}

            <section className="card" aria-labelledby="case-thread">
              <h2 id="case-thread">{t("cases.case.thread")}</h2>
              <Conversation entries={conversation} nameOf={nameOf} />
              <form onSubmit={onReply} className="cases-form">
                <label htmlFor="reply-text">{t("cases.case.reply")}</label>
                <p className="cases-hint">{t("cases.case.replyHint")}</p>
                <textarea id="reply-text" name="text" rows={4} required disabled={!opened} />
                <button type="submit" className="button" disabled={!opened || busy !== null}>
                  {busy === "reply" ? t("cases.case.working") : t("cases.case.send")}
                </button>
              </form>
              <form onSubmit={onNote} className="cases-form">
                <label htmlFor="note-text">{t("cases.case.addNote")}</label>
                <textarea id="note-text" name="text" rows={3} required disabled={!opened} />
                <button
                  type="submit"
                  className="button button-quiet"
                  disabled={!opened || busy !== null}
                >
                  {busy === "note" ? t("cases.case.working") : t("cases.case.save")}
                </button>
              </form>
            </section>
          </div>

          <div className="case-side">
            <section className="card" aria-labelledby="case-facts">
              <h2 id="case-facts">{t("cases.case.facts")}</h2>
              <dl className="facts">
                <dt>{t("cases.case.number")}</dt>
                <dd className="cases-id">{tip.id}</dd>
                <dt>{t("cases.case.received")}</dt>
                <dd>{formatDate(locale, tip.createdAt)}</dd>
                <dt>{t("cases.case.district")}</dt>
                <dd>{tip.district ? (en ? tip.district.en : tip.district.zh) : ""}</dd>
                <dt>{t("cases.case.unit")}</dt>
                <dd>
                  {tip.unit ? (en ? tip.unit.en : tip.unit.zh) : t("cases.inbox.unknownUnit")}
                </dd>
                <dt>{t("cases.case.category")}</dt>
                <dd>{t(`cases.category.${tip.category ?? "none"}` as MessageKey)}</dd>
                <dt>{t("cases.case.status")}</dt>
                <dd data-testid="case-status">
                  {t(`cases.status.${tip.status}` as MessageKey)}
                  {tip.mergedIntoId ? (
                    <>
                      {" "}
                      <Link to={`/staff/tips/${tip.mergedIntoId}`} prefetch="none">
                        {t("cases.case.mergedInto", { id: tip.mergedIntoId })}
                      </Link>
                    </>
                  ) : null}
                </dd>
                <dt>{t("cases.case.priority")}</dt>
                <dd>{t(`cases.priority.${tip.priority}` as MessageKey)}</dd>
                <dt>{t("cases.case.assignee")}</dt>
                <dd>{nameOf(tip.assigneeId) || t("cases.inbox.unassigned")}</dd>
                <dt>{t("cases.case.deadlines")}</dt>
                <dd>
                  <span className={tip.acknowledgeOverdue ? "cases-late" : undefined}>
                    {t("cases.inbox.ackBy", { date: formatDate(locale, tip.acknowledgeBy) })}
                  </span>{" "}
                  <span className={tip.feedbackOverdue ? "cases-late" : undefined}>
                    {t("cases.inbox.feedbackBy", { date: formatDate(locale, tip.feedbackBy) })}
                  </span>
                </dd>
                <dt>{t("cases.case.labels")}</dt>
                <dd>
                  {d.labels.map((l) => (
                    <span key={l} className="tag">
                      {l}
                    </span>
                  ))}
                </dd>
              </dl>
            </section>

            <section className="card" aria-labelledby="case-status-title">
              <h2 id="case-status-title">{t("cases.case.statusTitle")}</h2>
              <p className="cases-hint">{t("cases.case.statusHint")}</p>
              <form onSubmit={onStatus} className="cases-form">
                <label htmlFor="status-select">{t("cases.case.newStatus")}</label>
                <select id="status-select" name="status" defaultValue="accepted">
                  {PUBLIC_STATUSES.filter((s) => s !== "received").map((s) => (
                    <option key={s} value={s}>
                      {t(`cases.status.${s}`)}
                    </option>
                  ))}
                </select>
                <label htmlFor="status-text">{t("cases.case.statusMessage")}</label>
                <textarea id="status-text" name="text" rows={3} disabled={!opened} />
                <label htmlFor="merge-into">{t("cases.case.mergeInto")}</label>
                <input id="merge-into" name="mergedInto" type="text" autoComplete="off" />
                <button type="submit" className="button" disabled={!opened || busy !== null}>
                  {busy === "status" ? t("cases.case.working") : t("cases.case.setStatus")}
                </button>
              </form>
              <h3>{t("cases.case.history")}</h3>
              <ol className="cases-history">
                {d.history.map((h) => (
                  <li key={h.id}>
                    {/* The submission is stored to the day only (app/shared/tipster-time.ts). */}
                    {h.status === "received" && h.actorId === null
                      ? formatDate(locale, h.at)
                      : formatDateTime(locale, h.at)}{" "}
                    · {t(`cases.status.${h.status}` as MessageKey)}
                    {h.messageCopy && opened?.history[h.id] ? (
                      <span className="cases-body">
                        {" "}
                        {t("cases.case.historyMessage", { text: opened.history[h.id]! })}
                      </span>
                    ) : null}
                  </li>
                ))}
              </ol>
            </section>

            <section className="card" aria-labelledby="case-triage">
              <h2 id="case-triage">{t("cases.case.triage")}</h2>
              <form
                onSubmit={onTriage}
                className="cases-form"
                key={`${tip.priority}-${tip.assigneeId}`}
              >
                <label htmlFor="triage-priority">{t("cases.case.priority")}</label>
                <select id="triage-priority" name="priority" defaultValue={tip.priority}>
                  {PRIORITIES.map((p) => (
                    <option key={p} value={p}>
                      {t(`cases.priority.${p}`)}
                    </option>
                  ))}
                </select>
                {d.canAssign ? (
                  <>
                    <label htmlFor="triage-assignee">{t("cases.case.assignee")}</label>
                    <select
                      id="triage-assignee"
                      name="assignee"
                      defaultValue={tip.assigneeId ?? ""}
                    >
                      <option value="">{t("cases.inbox.unassigned")}</option>
                      {d.members.map((m) => (
                        <option key={m.id} value={m.id}>
                          {m.name}
                        </option>
                      ))}
                    </select>
                  </>
                ) : null}
                <label htmlFor="triage-labels">
                  {t("cases.case.labels")} ({t("cases.case.labelsHint")})
                </label>
                <input
                  id="triage-labels"
                  name="labels"
                  type="text"
                  defaultValue={d.labels.join(en ? ", " : "，")}
                />
                <button type="submit" className="button button-quiet" disabled={busy !== null}>
                  {t("cases.case.save")}
                </button>
              </form>
            </section>

            <section className="card" aria-labelledby="case-sharing" data-sharing="">
              <h2 id="case-sharing">{t("cases.case.sharing")}</h2>
              {d.shared ? (
                <p className="notice" data-shared-with-me="">
                  {t("cases.case.sharedWithMe", {
                    by: d.sharing.shares.find((x) => x.to.id === d.me)?.by.name ?? "",
                  })}
                </p>
              ) : (
                <p className="hint">{t("cases.case.sharingIntro")}</p>
              )}
              {d.sharing.shares.length > 0 ? (
                <ul className="cases-shares">
                  {d.sharing.shares.map((x) => (
                    <li key={x.to.id} data-share-to={x.to.id}>
                      {t("cases.case.shareItem", {
                        by: x.by.name,
                        to: x.to.name,
                        date: formatDateTime(locale, x.at),
                        reason: x.reason,
                      })}
                    </li>
                  ))}
                </ul>
              ) : null}
              {d.shared ? null : d.sharing.onlyOutsiders ? (
                <p data-share-refused="">{t("cases.case.shareOnlyOutsiders")}</p>
              ) : d.sharing.shareTo.length === 0 ? (
                <p>{t("cases.case.shareNone")}</p>
              ) : (
                <form onSubmit={onShare} className="cases-form" data-share-form="">
                  <label htmlFor="share-to">{t("cases.case.shareTo")}</label>
                  <select id="share-to" name="to" required>
                    {d.sharing.shareTo.map((c) => (
                      <option key={c.staffId} value={c.staffId}>
                        {`${c.name} · ${c.fingerprint}`}
                      </option>
                    ))}
                  </select>
                  <label htmlFor="share-reason">{t("cases.case.shareReason")}</label>
                  <textarea id="share-reason" name="reason" rows={3} required minLength={10} />
                  {opened ? null : <p className="hint">{t("cases.case.shareNeedsKey")}</p>}
                  <button
                    type="submit"
                    className="button button-quiet"
                    disabled={busy !== null || !opened}
                  >
                    {t("cases.case.shareButton")}
                  </button>
                </form>
              )}
            </section>

            <section className="card" aria-labelledby="case-identity">
              <h2 id="case-identity">{t("cases.case.identity")}</h2>
              {!tip.hasIdentity ? (
                <p>{t("cases.case.identityNone")}</p>
              ) : (
                <>
                  <p>{t("cases.case.identityHidden")}</p>
                  {tip.identityRevealedAt ? (
                    <p className="notice">
                      {t("cases.case.identityOpened", {
                        date: formatDateTime(locale, tip.identityRevealedAt),
                      })}
                    </p>
                  ) : null}
                  <ul className="cases-reveals">
                    {d.reveals.map((r) => (
                      <li key={r.id}>
                        {r.decision === "pending"
                          ? t("cases.case.revealPending", {
                              name: r.requesterName,
                              reason: r.reason,
                            })
                          : r.decision === "approved"
                            ? t("cases.case.revealApproved", { name: r.requesterName })
                            : t("cases.case.revealRejected", { name: r.requesterName })}
                        {r.decision === "pending" && d.canApprove && r.requestedBy !== d.me ? (
                          <span className="cases-actions">
                            <button
                              type="button"
                              className="button"
                              onClick={() => decide(r.id, true)}
                            >
                              {t("cases.case.approve")}
                            </button>
                            <button
                              type="button"
                              className="button button-quiet"
                              onClick={() => decide(r.id, false)}
                            >
                              {t("cases.case.reject")}
                            </button>
                          </span>
                        ) : null}
                      </li>
                    ))}
                  </ul>
                  {myApproved ? (
                    identity ? (
                      <dl className="facts">
                        {Object.entries(identity).map(([k, v]) => (
                          <div key={k}>
                            <dt>{k}</dt>
                            <dd>{String(v)}</dd>
                          </div>
                        ))}
                      </dl>
                    ) : (
                      <button
                        type="button"
                        className="button"
                        disabled={!key}
                        onClick={onShowIdentity}
                      >
                        {t("cases.case.showIdentity")}
                      </button>
                    )
                  ) : d.shared ? null : (
                    <form onSubmit={onReveal} className="cases-form">
                      <label htmlFor="reveal-reason">{t("cases.case.reason")}</label>
                      <textarea id="reveal-reason" name="reason" rows={3} required minLength={10} />
                      <button
                        type="submit"
                        className="button button-quiet"
                        disabled={busy !== null}
                      >
                        {t("cases.case.requestReveal")}
                      </button>
                    </form>
                  )}
                </>
              )}
            </section>
          </div>
        </div>
      </article>
    </StaffLayout>
  );
}
