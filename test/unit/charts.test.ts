/**
 * The SVG charts render on the server into accessible, style-attribute-free markup whose bar
 * lengths follow the data, with withheld values drawn as a marker (never as a length).
 */
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { BarChart, StackedBarChart } from "~/components/charts/BarChart";

function parse(html: string) {
  const bars = [...html.matchAll(/<rect class="chart-bar chart-s(\d)"[^>]*?width="([\d.]+)"/g)].map(
    (m) => ({ series: Number(m[1]), width: Number(m[2]) }),
  );
  return { bars, withheld: (html.match(/chart-withheld/g) ?? []).length };
}

describe("BarChart", () => {
  const html = renderToStaticMarkup(
    createElement(BarChart, {
      id: "money",
      title: "退还金额",
      description: "按区统计的退还金额",
      labelHeader: "区",
      valueHeader: "金额",
      tableSummary: "查看数据表",
      rows: [
        { label: "津南区", value: 200, display: "200" },
        { label: "北辰区", value: 50, display: "50" },
        { label: "西青区", value: null, display: "少于 3" },
      ],
    }),
  );

  it("is an image with a title and description, and a data table with every value", () => {
    expect(html).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="money-svg-title money-desc"/);
    expect(html).toContain('<title id="money-svg-title">退还金额</title>');
    expect(html).toContain('<desc id="money-desc">按区统计的退还金额</desc>');
    expect(html).toContain("<summary>查看数据表</summary>");
    expect(html).toMatch(/<th scope="row">西青区<\/th><td>少于 3<\/td>/);
    expect(html).not.toMatch(/style=/);
  });

  it("draws bars in proportion and a withheld value as a marker", () => {
    const { bars, withheld } = parse(html);
    expect(bars.map((b) => b.width)).toEqual([340, 85]);
    expect(withheld).toBe(1);
  });
});

describe("StackedBarChart", () => {
  it("stacks the series per row and scales to the largest row", () => {
    const html = renderToStaticMarkup(
      createElement(StackedBarChart, {
        id: "focus",
        title: "按聚焦方向的问题",
        description: "d",
        labelHeader: "区",
        totalHeader: "合计",
        tableSummary: "查看数据表",
        series: [{ label: "决策部署" }, { label: "群众身边" }, { label: "民生实事" }],
        rows: [
          { label: "A", values: [10, 20, 10], displays: ["10", "20", "10"], totalDisplay: "40" },
          {
            label: "B",
            values: [10, null, 0],
            displays: ["10", "少于 3", "0"],
            totalDisplay: "12",
          },
        ],
      }),
    );
    const { bars, withheld } = parse(html);
    // Row A fills the width: 10/40, 20/40, 10/40 of 340 units. Row B shows its 10 (85 units),
    // nothing for the zero, and a marker for the withheld cell.
    expect(bars).toEqual([
      { series: 0, width: 85 },
      { series: 1, width: 170 },
      { series: 2, width: 85 },
      { series: 0, width: 85 },
    ]);
    expect(withheld).toBe(1);
    expect(html).toContain("民生实事");
    expect(html).not.toMatch(/style=/);
  });
});
