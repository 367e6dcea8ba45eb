/**
 * Actions on the tips selected in the inbox: assign (leaders and liaisons), add or remove a
 * label, set a public status that needs no note to the tipster. One request; the server changes
 * and audits each tip on its own and says which could not be changed.
 */
import { useState, type FormEvent } from "react";
import { useI18n } from "~/i18n/use-t";
import { BULK_STATUSES, type BulkStatus } from "../enums";

export type BulkRequest =
  | { kind: "assign"; assigneeId: string | null }
  | { kind: "addLabel"; label: string }
  | { kind: "removeLabel"; label: string }
  | { kind: "status"; status: BulkStatus };

export function BulkBar({
  count,
  canAssign,
  assignees,
  busy,
  onRun,
  onClear,
}: {
  count: number;
  canAssign: boolean;
  assignees: { id: string; name: string }[];
  busy: boolean;
  onRun(action: BulkRequest): void;
  onClear(): void;
}) {
  const { t } = useI18n();
  const [label, setLabel] = useState("");
  const submit = (e: FormEvent<HTMLFormElement>, make: (fd: FormData) => BulkRequest | null) => {
    e.preventDefault();
    const action = make(new FormData(e.currentTarget));
    if (action) onRun(action);
  };
  return (
    <section className="triage-bulk" aria-labelledby="bulk-title" data-testid="bulk-bar">
      <h2 id="bulk-title" className="triage-bulk-title">
        {t("cases.bulk.selected", { count })}
      </h2>
      {canAssign ? (
        <form
          className="triage-bulk-form"
          onSubmit={(e) =>
            submit(e, (fd) => ({
              kind: "assign",
              assigneeId: String(fd.get("assignee") ?? "") || null,
            }))
          }
        >
          <label htmlFor="bulk-assignee">{t("cases.bulk.assignTo")}</label>
          <select id="bulk-assignee" name="assignee" defaultValue="">
            <option value="">{t("cases.inbox.unassigned")}</option>
            {assignees.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
          <button type="submit" className="button button-quiet" disabled={busy}>
            {t("cases.bulk.assign")}
          </button>
        </form>
      ) : null}
      <form
        className="triage-bulk-form"
        onSubmit={(e) => {
          const which = (e.nativeEvent as SubmitEvent).submitter?.getAttribute("value");
          submit(e, () =>
            label.trim()
              ? { kind: which === "remove" ? "removeLabel" : "addLabel", label: label.trim() }
              : null,
          );
        }}
      >
        <label htmlFor="bulk-label">{t("cases.bulk.label")}</label>
        <input
          id="bulk-label"
          name="label"
          type="text"
          maxLength={40}
          value={label}
          onChange={(e) => setLabel(e.target.value)}
        />
        <button type="submit" value="add" className="button button-quiet" disabled={busy}>
          {t("cases.bulk.addLabel")}
        </button>
        <button type="submit" value="remove" className="button button-quiet" disabled={busy}>
          {t("cases.bulk.removeLabel")}
        </button>
      </form>
      <form
        className="triage-bulk-form"
        onSubmit={(e) =>
          submit(e, (fd) => ({
            kind: "status",
            status: String(fd.get("status")) as BulkStatus,
          }))
        }
      >
        <label htmlFor="bulk-status">{t("cases.bulk.status")}</label>
        <select id="bulk-status" name="status" defaultValue="accepted">
          {BULK_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`cases.status.${s}`)}
            </option>
          ))}
        </select>
        <button type="submit" className="button button-quiet" disabled={busy}>
          {t("cases.bulk.setStatus")}
        </button>
      </form>
      <p className="cases-hint triage-bulk-note">{t("cases.bulk.statusNote")}</p>
      <button type="button" className="button button-quiet" onClick={onClear} disabled={busy}>
        {t("cases.bulk.clear")}
      </button>
    </section>
  );
}
