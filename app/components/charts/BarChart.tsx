/**
 * Server-rendered SVG bar charts for the results board and scorecards: no JavaScript, no inline
 * styles (CSP), presentation through classes in app/styles/charts.css so they print. Each chart is
 * a <figure> with an SVG that has a title and a description, followed by the same numbers as a
 * table (inside <details>, so phones are not made to scroll past it twice). Withheld values
 * (small-cell suppression) are drawn as an empty dashed box with their label, never as a length.
 *
 * Layout in SVG units, drawn for a 340-unit-wide viewBox that scales to the column width: each row
 * has its label and value on one line and a 14-unit bar under it, so long names never collide with
 * bars at 360 px.
 */
import type { ReactNode } from "react";

const WIDTH = 340;
const ROW = 46;
const BAR = 14;
const TOP = 4;

export interface BarRow {
  readonly label: string;
  /** null = withheld */
  readonly value: number | null;
  /** the value as shown ("1,234", "27.7 万元", "少于 3") */
  readonly display: string;
}

export interface Series {
  readonly label: string;
}

export interface StackedRow {
  readonly label: string;
  /** one per series; null = withheld */
  readonly values: readonly (number | null)[];
  /** one per series, as shown */
  readonly displays: readonly string[];
  readonly totalDisplay: string;
}

interface FrameProps {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly height: number;
  readonly tableSummary: string;
  readonly table: ReactNode;
  readonly legend?: ReactNode;
  readonly children: ReactNode;
}

function ChartFrame(props: FrameProps) {
  const titleId = `${props.id}-title`;
  const descId = `${props.id}-desc`;
  return (
    <figure className="chart" aria-labelledby={titleId}>
      <figcaption className="chart-title" id={titleId}>
        {props.title}
      </figcaption>
      {props.legend}
      <svg
        className="chart-svg"
        viewBox={`0 0 ${WIDTH} ${props.height}`}
        role="img"
        aria-labelledby={`${props.id}-svg-title ${descId}`}
        preserveAspectRatio="xMinYMin meet"
      >
        <title id={`${props.id}-svg-title`}>{props.title}</title>
        <desc id={descId}>{props.description}</desc>
        {props.children}
      </svg>
      <details className="chart-data">
        <summary>{props.tableSummary}</summary>
        {props.table}
      </details>
      {/* Browsers print closed <details> closed: the printed report gets its own copy. */}
      <div className="chart-print-table">{props.table}</div>
    </figure>
  );
}

/** The chart's numbers as a table: one header row, one row per bar (row header + cells). */
function DataTable(props: {
  readonly headers: readonly string[];
  readonly rows: readonly { readonly head: string; readonly cells: readonly string[] }[];
}) {
  return (
    <table className="chart-table">
      <thead>
        <tr>
          {props.headers.map((h, i) => (
            <th scope="col" key={i}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) => (
          <tr key={r.head}>
            <th scope="row">{r.head}</th>
            {r.cells.map((c, i) => (
              <td key={i}>{c}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const scale = (value: number, max: number) => (max <= 0 ? 0 : (value / max) * WIDTH);

export function BarChart(props: {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly labelHeader: string;
  readonly valueHeader: string;
  readonly tableSummary: string;
  readonly rows: readonly BarRow[];
}) {
  const max = Math.max(0, ...props.rows.map((r) => r.value ?? 0));
  const height = TOP + props.rows.length * ROW;
  return (
    <ChartFrame
      id={props.id}
      title={props.title}
      description={props.description}
      height={height}
      tableSummary={props.tableSummary}
      table={
        <DataTable
          headers={[props.labelHeader, props.valueHeader]}
          rows={props.rows.map((r) => ({ head: r.label, cells: [r.display] }))}
        />
      }
    >
      {props.rows.map((r, i) => {
        const y = TOP + i * ROW;
        return (
          <g key={r.label} aria-hidden="true">
            <text className="chart-label" x={0} y={y + 16}>
              {r.label}
            </text>
            <text className="chart-value" x={WIDTH} y={y + 16} textAnchor="end">
              {r.display}
            </text>
            <rect className="chart-track" x={0} y={y + 24} width={WIDTH} height={BAR} rx={2} />
            {r.value === null ? (
              <rect className="chart-withheld" x={0.5} y={y + 24.5} width={24} height={BAR - 1} />
            ) : (
              <rect
                className="chart-bar chart-s0"
                x={0}
                y={y + 24}
                width={scale(r.value, max)}
                height={BAR}
                rx={2}
              />
            )}
          </g>
        );
      })}
    </ChartFrame>
  );
}

export function StackedBarChart(props: {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly labelHeader: string;
  readonly totalHeader: string;
  readonly tableSummary: string;
  readonly series: readonly Series[];
  readonly rows: readonly StackedRow[];
}) {
  const max = Math.max(
    0,
    ...props.rows.map((r) => r.values.reduce<number>((a, v) => a + (v ?? 0), 0)),
  );
  const height = TOP + props.rows.length * ROW;
  return (
    <ChartFrame
      id={props.id}
      title={props.title}
      description={props.description}
      height={height}
      tableSummary={props.tableSummary}
      legend={
        <ul className="chart-legend">
          {props.series.map((s, i) => (
            <li key={s.label}>
              <span className={`chart-swatch chart-s${i}`} aria-hidden="true" />
              {s.label}
            </li>
          ))}
        </ul>
      }
      table={
        <DataTable
          headers={[props.labelHeader, ...props.series.map((x) => x.label), props.totalHeader]}
          rows={props.rows.map((r) => ({ head: r.label, cells: [...r.displays, r.totalDisplay] }))}
        />
      }
    >
      {props.rows.map((r, i) => {
        const y = TOP + i * ROW;
        let x = 0;
        const withheld = r.values.some((v) => v === null);
        return (
          <g key={r.label} aria-hidden="true">
            <text className="chart-label" x={0} y={y + 16}>
              {r.label}
            </text>
            <text className="chart-value" x={WIDTH} y={y + 16} textAnchor="end">
              {r.totalDisplay}
            </text>
            <rect className="chart-track" x={0} y={y + 24} width={WIDTH} height={BAR} rx={2} />
            {r.values.map((v, s) => {
              if (v === null || v === 0) return null;
              const w = scale(v, max);
              const rect = (
                <rect
                  key={s}
                  className={`chart-bar chart-s${s}`}
                  x={x}
                  y={y + 24}
                  width={w}
                  height={BAR}
                />
              );
              x += w;
              return rect;
            })}
            {withheld ? (
              <rect
                className="chart-withheld"
                x={Math.min(x, WIDTH - 25) + 0.5}
                y={y + 24.5}
                width={24}
                height={BAR - 1}
              />
            ) : null}
          </g>
        );
      })}
    </ChartFrame>
  );
}
