/**
 * The case page's side of finding links: the findings this tip is linked to (titles opened in the
 * browser), and linking it to one of the team's findings. The finding page shows the other side.
 */
import { Link } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useStaffKey } from "~/components/cases/useStaffKey";
import { useI18n } from "~/i18n/use-t";

interface Linked {
  id: string;
  category: string;
  status: string;
  body: string;
  envelope: string | null;
}

export function CaseFindings({ tipId, csrf }: { tipId: string; csrf: string }) {
  const { t } = useI18n();
  const key = useStaffKey();
  const [linked, setLinked] = useState<Linked[]>([]);
  const [mine, setMine] = useState<Linked[]>([]);
  const [titles, setTitles] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let live = true;
    void (async () => {
      const { staffApi } = await import("~/client/staff/api");
      try {
        const a = await staffApi<{ findings: Linked[] }>(`/api/staff/tips/${tipId}/findings`, csrf);
        const b = await staffApi<{ findings: Linked[] }>("/api/staff/findings", csrf).catch(() => ({
          findings: [] as Linked[],
        }));
        if (!live) return;
        setLinked(a.findings);
        setMine(b.findings.filter((f) => !a.findings.some((x) => x.id === f.id)));
        if (key) {
          const fc = await import("~/client/staff/findings-client");
          const opened = await fc.openFindings(key.keys, [...a.findings, ...b.findings]);
          if (live)
            setTitles(
              Object.fromEntries(Object.entries(opened).map(([id, o]) => [id, o.body.title])),
            );
        }
      } catch {
        if (live) setError(t("outcomes.errors.badInput"));
      }
    })();
    return () => {
      live = false;
    };
  }, [tipId, csrf, key, version, t]);

  async function link(findingId: string, op: "link" | "unlink") {
    setError(null);
    try {
      const { staffApi } = await import("~/client/staff/api");
      await staffApi(`/api/staff/findings/${findingId}/tips`, csrf, { op, tipId });
      setVersion((v) => v + 1);
    } catch (err) {
      setError((err as { serverMessage?: string }).serverMessage ?? t("outcomes.errors.badInput"));
    }
  }

  const title = (f: Linked) => titles[f.id] ?? t(`outcomes.focus.${f.category as "decision"}`);
  return (
    <section className="card" aria-labelledby="case-findings">
      <h2 id="case-findings">{t("outcomes.findings.ofTip")}</h2>
      {error ? (
        <p className="notice notice-danger" role="alert">
          {error}
        </p>
      ) : null}
      {linked.length === 0 ? <p className="muted">{t("outcomes.findings.noneLinked")}</p> : null}
      <ul>
        {linked.map((f) => (
          <li key={f.id}>
            <Link to={`/staff/findings/${f.id}`}>{title(f)}</Link> ·{" "}
            {t(`outcomes.findingStatus.${f.status as "open"}`)}{" "}
            <button
              className="button button-quiet"
              type="button"
              onClick={() => void link(f.id, "unlink")}
            >
              {t("outcomes.findings.unlink")}
            </button>
          </li>
        ))}
      </ul>
      {mine.length > 0 ? (
        <form
          className="staff-form"
          onSubmit={(e) => {
            e.preventDefault();
            const id = String(new FormData(e.currentTarget).get("findingId") ?? "");
            if (id) void link(id, "link");
          }}
        >
          <label htmlFor="case-link-finding">{t("outcomes.findings.linkToFinding")}</label>
          <select id="case-link-finding" name="findingId">
            {mine.map((f) => (
              <option key={f.id} value={f.id}>
                {title(f)}
              </option>
            ))}
          </select>
          <button className="button" type="submit">
            {t("outcomes.findings.link")}
          </button>
        </form>
      ) : null}
    </section>
  );
}
