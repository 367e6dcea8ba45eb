import { PassThrough, type Readable } from "node:stream";
import { text } from "node:stream/consumers";
import { createElement } from "react";
import { renderToPipeableStream } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { nulFreeHtml } from "~/services/html-stream.server";

const LINE = "本站不记录您的IP地址，不使用跟踪工具，只保存语言选择。";
const PREFIXES = ["a", "ab", "abc", "abcd", "abcde", "abcdef"];

/** Renders a page the way app/entry.server.tsx does, through `through`. */
function render(through: () => NodeJS.ReadWriteStream, prefix: string): Promise<string> {
  const page = createElement(
    "main",
    null,
    createElement("p", null, prefix),
    ...Array.from({ length: 60 }, (_, i) => createElement("p", { key: i }, LINE)),
  );
  return new Promise((resolve, reject) => {
    const { pipe } = renderToPipeableStream(page, {
      onAllReady() {
        const out = through();
        text(out as unknown as Readable).then(resolve, reject);
        pipe(out as unknown as NodeJS.WritableStream);
      },
      onShellError: reject,
    });
  });
}

describe("the HTML stream", () => {
  it("drops the NUL bytes React 18 leaves at buffer boundaries, and nothing else", async () => {
    // Some leading lengths put a 3-byte character across React's 2,048-byte boundary.
    const raw = await Promise.all(PREFIXES.map((p) => render(() => new PassThrough(), p)));
    expect(raw.some((html) => html.includes("\0"))).toBe(true);
    for (const [i, p] of PREFIXES.entries()) {
      const html = await render(nulFreeHtml, p);
      expect(html).not.toContain("\0");
      expect(html).toBe(raw[i]!.replaceAll("\0", ""));
      expect(html.split(`<p>${LINE}</p>`)).toHaveLength(61);
    }
  });

  it("passes chunks without NUL through untouched", async () => {
    const out = nulFreeHtml();
    const done = text(out as unknown as Readable);
    out.end(Buffer.from("<p>交叉巡察</p>"));
    expect(await done).toBe("<p>交叉巡察</p>");
  });
});
