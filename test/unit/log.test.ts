import { afterEach, describe, expect, it } from "vitest";
import { log, scrub, setLogSink, type LogLevel } from "../../app/log.server";
import { registerCanary, scanLogText, type Canary } from "../support/log-capture";

function capture() {
  const lines: { level: LogLevel; line: Record<string, unknown> }[] = [];
  setLogSink({ write: (level, line) => lines.push({ level, line }) });
  return lines;
}
afterEach(() => setLogSink(null));

describe("log lines", () => {
  it("carry a level and an event, and fields as given", () => {
    const lines = capture();
    log.info("server.listening", { port: 3000, mode: "demo" });
    expect(lines).toEqual([
      { level: "info", line: { event: "server.listening", port: 3000, mode: "demo" } },
    ]);
  });

  it("scrub addresses, receipts and user agents that reach a message or an error", () => {
    const lines = capture();
    const err = new Error(
      "bad input from 203.0.113.7 and ::ffff:127.0.0.1 with receipt 1234 5678 9012 3456 (Mozilla/5.0 X11)",
    );
    log.error("request.error", { err, msg: "peer 2001:db8::1 sent 1234-5678-9012-3456" });
    const text = JSON.stringify(lines);
    for (const secret of [
      "203.0.113.7",
      "127.0.0.1",
      "2001:db8::1",
      "1234 5678 9012 3456",
      "1234-5678-9012-3456",
      "Mozilla/5.0",
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain("[address]");
    expect(text).toContain("[digits]");
    expect(text).toContain("[user-agent]");
    expect((lines[0]!.line.err as { type: string }).type).toBe("Error");
  });

  it("leave times, ports, versions of stack positions and ordinary numbers alone", () => {
    const s =
      "at render (file:///srv/build/index.js:120:34) 2026-01-02T03:04:05.678Z port 3000 1735689600000";
    expect(scrub(s)).toBe(s);
  });
});

describe("log scanner", () => {
  const json = (o: object) => JSON.stringify({ level: "info", time: "t", ...o });

  it("passes clean structured lines", () => {
    const text = [json({ event: "server.listening", msg: "listening on http://localhost:3000" })];
    expect(scanLogText(text.join("\n"), [])).toEqual({ lines: 1, hits: [] });
  });

  it("finds every kind it promises to find", () => {
    const canaries: Canary[] = [
      { kind: "tip-text", value: "韩城桥村拆迁款被冒领-canary" },
      { kind: "file-name", value: "meal-card-receipt.jpg" },
      { kind: "auth-secret", value: "q3X9_secret_value_base64url" },
    ];
    const text = [
      "plain text line",
      json({ event: "a", msg: "from 198.51.100.4" }),
      json({ event: "b", msg: "from fe80::1" }),
      json({ event: "c", ua: "HeadlessChrome/120.0" }),
      json({ event: "d", msg: "receipt 1234567890123456" }),
      // JSON escapes must not hide a canary.
      `{"level":"info","event":"e","msg":"\\u97e9\\u57ce\\u6865\\u6751\\u62c6\\u8fc1\\u6b3e\\u88ab\\u5192\\u9886-canary"}`,
      json({ event: "f", file: "meal-card-receipt.jpg" }),
      json({ event: "g", token: "q3X9_secret_value_base64url" }),
      JSON.stringify({ msg: "no level or event" }),
    ].join("\n");
    const kinds = scanLogText(text, canaries).hits.map((h) => `${h.line}:${h.kind}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        "1:unstructured",
        "2:address",
        "3:address",
        "4:user-agent",
        "5:receipt-digits",
        "6:tip-text",
        "7:file-name",
        "8:auth-secret",
        "9:unstructured",
      ]),
    );
  });

  it("refuses canaries too short to scan for", () => {
    expect(() => registerCanary("tip-text", "abc")).toThrow(/too short/);
  });
});
