/** The outcome of an action on a cases page: a calm status, or an alert when it failed. */
export type Notice = { ok: boolean; text: string } | null;

export function CaseNotice({ notice }: { notice: Notice }) {
  if (!notice) return null;
  return (
    <p
      className={notice.ok ? "notice" : "notice cases-error"}
      role={notice.ok ? "status" : "alert"}
    >
      {notice.text}
    </p>
  );
}
