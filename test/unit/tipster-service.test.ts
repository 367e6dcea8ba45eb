/**
 * The tipster service's pure parts and its proof-of-work store (in-memory database): rate limits,
 * timing floor, receipt parsing, ciphertext shape checks, the case view both paths share, and
 * metadata stripping of evidence photos.
 */
import { describe, expect, it } from "vitest";
import {
  base64urlDecode,
  base64urlEncode,
  encryptAttachment,
  generateReceipt,
  sealTipsterMessage,
  solvePowSync,
  systemRandom,
} from "../../crypto/index";
import { buildCaseView, readMessageBody, type CaseWire } from "~/client/status/model";
import { stripMetadata } from "~/client/status/strip-metadata";
import type { Env } from "~/env.server";
import {
  b64,
  caseAnswerBody,
  caseWire,
  checkReply,
  issueReplyChallenge,
  padToFloor,
  parseReceiptInput,
  statusLookups,
  statusReplies,
  verifyReplyPow,
  type CaseCiphertexts,
} from "~/services/tipster.server";
import { closeDb, openDb } from "../../db/client";

const keys = { view: new Uint8Array(32).fill(5) };

describe("status rate limits", () => {
  it("allow 20 lookups and 30 replies per client per window", () => {
    expect([statusLookups.max, statusLookups.windowMs]).toEqual([20, 600_000]);
    expect([statusReplies.max, statusReplies.windowMs]).toEqual([30, 600_000]);
  });
});

describe("b64 (the look-up answer's native base64url)", () => {
  it("writes the same text as crypto's base64urlEncode, for every length and offset", () => {
    const all = new Uint8Array(300);
    for (let i = 0; i < all.length; i++) all[i] = (i * 151 + 7) & 255;
    for (let n = 0; n <= 70; n++) {
      // A view into a larger buffer, as rows from the database are.
      const bytes = all.subarray(3, 3 + n);
      expect(b64(bytes)).toBe(base64urlEncode(bytes));
      expect(base64urlDecode(b64(bytes))).toEqual(bytes);
    }
    const random = crypto.getRandomValues(new Uint8Array(16_411));
    expect(b64(random)).toBe(base64urlEncode(random));
  });
});

describe("caseAnswerBody (the look-up's answer bytes)", () => {
  const at = new Date(Date.UTC(2026, 11, 2, 8, 30));
  const found: CaseCiphertexts = {
    tipId: "tip-1",
    summary: {
      status: "under_review",
      createdAt: at,
      acknowledgeBy: at,
      feedbackBy: at,
      acknowledgedAt: at,
      identityRevealedAt: null,
      district: { id: "tj-jinnan", nameZh: "津南区", nameEn: 'Jinnan "District"' },
      unit: { id: "u", nameZh: "韩城桥村\u2028", nameEn: "Hanchengqiao" },
    },
    tipsterEnvelope: crypto.getRandomValues(new Uint8Array(121)),
    payload: crypto.getRandomValues(new Uint8Array(16_411)),
    history: [
      { id: "h1", status: "received", at, message: null, author: null },
      { id: "h2", status: "under_review", at, message: new Uint8Array([1, 2, 250]), author: "s1" },
    ],
    messages: [
      { id: "m1", kind: "to_tipster", at, body: new Uint8Array(40).fill(9), author: "s1" },
      { id: "m2", kind: "from_tipster", at, body: new Uint8Array(3), author: null },
    ],
    attachments: [
      { id: "a1", messageId: "m2", header: new Uint8Array(24), chunkCount: 2, ciphertextSize: 9 },
    ],
    unseenTeamMessages: true,
  };

  it("is the UTF-8 of JSON.stringify({ case, pow }), byte for byte", () => {
    const signers = {
      s1: { role: "leader" as const, team: { nameZh: "第一组", nameEn: "Team 1" }, approvals: [] },
    };
    for (const wire of [
      caseWire(found, signers),
      caseWire({ ...found, history: [], messages: [] }),
    ]) {
      const pow = "AQID-_x";
      const body = caseAnswerBody(wire, pow);
      expect(body.equals(Buffer.from(JSON.stringify({ case: wire, pow })))).toBe(true);
      expect(JSON.parse(body.toString("utf8"))).toEqual({ case: wire, pow });
    }
  });
});

describe("padToFloor", () => {
  it("waits until the floor has passed since the start, and not when it already has", async () => {
    const started = Date.now();
    await padToFloor(started, 120);
    expect(Date.now() - started).toBeGreaterThanOrEqual(118);
    const late = Date.now();
    await padToFloor(late - 500, 120);
    expect(Date.now() - late).toBeLessThan(50);
  });
});

describe("parseReceiptInput", () => {
  const receipt = generateReceipt();
  const digits = receipt.replace(/ /g, "");

  it("accepts spaces, dashes and full-width digits and formats the result", () => {
    const fullWidth = digits.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    for (const input of [receipt, digits, digits.replace(/(\d{4})/g, "$1-"), fullWidth]) {
      expect(parseReceiptInput(input)).toEqual({ ok: true, digits, formatted: receipt });
    }
  });

  it("names the mistake: letters, wrong length, wrong check digit", () => {
    expect(parseReceiptInput("1234 abcd")).toEqual({ ok: false, code: "badFormat" });
    expect(parseReceiptInput(digits.slice(0, 12))).toEqual({ ok: false, code: "badLength" });
    const typo = digits.slice(0, 15) + String((Number(digits[15]) + 1) % 10);
    expect(parseReceiptInput(typo)).toEqual({ ok: false, code: "badChecksum" });
  });
});

describe("checkReply", () => {
  const body = sealTipsterMessage({ body: { text: "补充" }, keys });
  const file = encryptAttachment(new Uint8Array(70_000).fill(1), {
    name: "a.jpg",
    type: "image/jpeg",
  });

  it("accepts a sealed message with encrypted evidence", () => {
    expect(checkReply(body, [])).toEqual({ ok: true });
    expect(checkReply(body, [{ header: file.header, chunks: file.chunks }])).toEqual({ ok: true });
  });

  it("rejects plaintext, wrong tags, swapped chunks and too many files", () => {
    expect(checkReply(new TextEncoder().encode("hello"), []).ok).toBe(false);
    expect(checkReply(file.header, []).ok).toBe(false);
    const swapped = [file.chunks[1]!, file.chunks[0]!];
    expect(checkReply(body, [{ header: file.header, chunks: swapped }])).toEqual({
      ok: false,
      code: "bad_ciphertext",
    });
    expect(checkReply(body, [{ header: body, chunks: file.chunks }]).ok).toBe(false);
    const four = Array.from({ length: 4 }, () => ({ header: file.header, chunks: file.chunks }));
    expect(checkReply(body, four)).toEqual({ ok: false, code: "too_many_files" });
  });
});

describe("reply proof of work", () => {
  const env = { powSecret: systemRandom(32) } as unknown as Env;

  it("accepts a solved challenge once, and refuses replays, forgeries and expired ones", async () => {
    const db = await openDb(":memory:");
    const challenge = issueReplyChallenge(env);
    const solution = solvePowSync(challenge);
    expect(await verifyReplyPow(db, env, challenge, solution)).toBe(true);
    expect(await verifyReplyPow(db, env, challenge, solution)).toBe(false);
    const other = { powSecret: systemRandom(32) } as unknown as Env;
    const forged = issueReplyChallenge(other);
    expect(await verifyReplyPow(db, env, forged, solvePowSync(forged))).toBe(false);
    const old = issueReplyChallenge(env, Date.now() - 60 * 60 * 1000);
    expect(await verifyReplyPow(db, env, old, solvePowSync(old))).toBe(false);
    await closeDb(db);
  });
});

describe("case view", () => {
  const wire: CaseWire = {
    summary: {
      status: "accepted",
      createdAt: "2026-09-16T02:00:00.000Z",
      acknowledgeBy: "2026-09-23T02:00:00.000Z",
      feedbackBy: "2026-12-16T02:00:00.000Z",
      acknowledgedAt: null,
      identityRevealedAt: null,
      district: { nameZh: "津南区", nameEn: "Jinnan" },
      unit: null,
    },
    tipsterEnvelope: "env",
    payload: "payload",
    history: [
      { id: "h1", status: "received", at: "2026-09-16T02:00:00.000Z", message: null, author: null },
      {
        id: "h2",
        status: "accepted",
        at: "2026-09-17T02:00:00.000Z",
        message: "m-ok",
        author: "s",
      },
    ],
    messages: [
      { id: "m1", kind: "to_tipster", at: "2026-09-17T03:00:00.000Z", body: "m-ok", author: "s" },
      {
        id: "m2",
        kind: "to_tipster",
        at: "2026-09-17T04:00:00.000Z",
        body: "m-broken",
        author: "s",
      },
      {
        id: "m3",
        kind: "from_tipster",
        at: "2026-09-17T05:00:00.000Z",
        body: "mine",
        author: null,
      },
    ],
    attachments: [],
    signers: {},
  };

  it("shows what opened and marks what did not, for both senders", () => {
    const view = buildCaseView(wire, {
      payload: () => ({ text: "我的举报", attachments: [{ name: "p.jpg", key: "k", ref: "r" }] }),
      fromTeam: (b, place) =>
        b === "m-ok"
          ? { body: { text: "团队消息" }, signature: { state: "unchecked" } }
          : {
              body: null,
              signature: {
                state: "unverified",
                reason: place.kind === "reply" ? "invalid" : "duplicate",
              },
            },
      fromMe: () => ({
        text: "我的回复",
        attachments: [{ name: "a.jpg", type: "", size: 1, key: "k", ref: "r" }],
      }),
    });
    expect(view.report).toBe("我的举报");
    expect(view.reportFiles).toEqual(["p.jpg"]);
    expect(view.timeline.map((h) => h.message)).toEqual([null, "团队消息"]);
    expect(view.timeline.map((h) => h.signature)).toEqual([null, { state: "unchecked" }]);
    const unchecked = { state: "unchecked" };
    const invalid = { state: "unverified", reason: "invalid" };
    expect(view.thread).toEqual([
      {
        id: "m1",
        from: "team",
        at: wire.messages[0]!.at,
        text: "团队消息",
        files: [],
        signature: unchecked,
      },
      {
        id: "m2",
        from: "team",
        at: wire.messages[1]!.at,
        text: null,
        files: [],
        signature: invalid,
      },
      {
        id: "m3",
        from: "me",
        at: wire.messages[2]!.at,
        text: "我的回复",
        files: ["a.jpg"],
        signature: null,
      },
    ]);
  });

  it("reads only well-formed message bodies", () => {
    expect(readMessageBody(null)).toEqual({ text: null, files: [] });
    expect(readMessageBody({ text: 3, attachments: "x" })).toEqual({ text: null, files: [] });
    expect(
      readMessageBody({ text: "t", attachments: [{ name: "n" }, { name: "ok", key: "k" }] }).files,
    ).toHaveLength(1);
  });
});

describe("stripMetadata", () => {
  const seg = (marker: number, payload: string) => {
    const p = Buffer.from(payload);
    return Buffer.concat([
      Buffer.from([0xff, marker, (p.length + 2) >> 8, (p.length + 2) & 0xff]),
      p,
    ]);
  };
  const scan = Buffer.from([0xff, 0xda, 0x00, 0x02, 1, 2, 3, 0xff, 0xd9]);

  it("drops EXIF/XMP, IPTC and comments from JPEG and keeps JFIF, ICC and the image data", () => {
    const jpeg = Buffer.concat([
      Buffer.from([0xff, 0xd8]),
      seg(0xe0, "JFIF\0"),
      seg(0xe1, "Exif\0\0GPS 31.0N 117.2E"),
      seg(0xe2, "ICC_PROFILE"),
      seg(0xed, "Photoshop IPTC by-line"),
      seg(0xfe, "camera owner"),
      scan,
    ]);
    const out = Buffer.from(stripMetadata(new Uint8Array(jpeg), "image/jpeg"));
    expect(out.includes(Buffer.from("GPS"))).toBe(false);
    expect(out.includes(Buffer.from("IPTC"))).toBe(false);
    expect(out.includes(Buffer.from("camera owner"))).toBe(false);
    expect(out.includes(Buffer.from("JFIF"))).toBe(true);
    expect(out.includes(Buffer.from("ICC_PROFILE"))).toBe(true);
    expect(out.subarray(out.length - scan.length).equals(scan)).toBe(true);
  });

  it("drops text, EXIF and time chunks from PNG", () => {
    const chunk = (type: string, data: string) => {
      const d = Buffer.from(data);
      const len = Buffer.alloc(4);
      len.writeUInt32BE(d.length);
      return Buffer.concat([len, Buffer.from(type), d, Buffer.alloc(4)]);
    };
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk("IHDR", "0123456789abc"),
      chunk("tEXt", "Author\0Zhang San"),
      chunk("eXIf", "GPS"),
      chunk("IDAT", "pixels"),
      chunk("IEND", ""),
    ]);
    const out = Buffer.from(stripMetadata(new Uint8Array(png), "image/png"));
    expect(out.includes(Buffer.from("Zhang San"))).toBe(false);
    expect(out.includes(Buffer.from("eXIf"))).toBe(false);
    expect(out.includes(Buffer.from("pixels"))).toBe(true);
    expect(out.includes(Buffer.from("IEND"))).toBe(true);
  });

  it("leaves other files and malformed images untouched", () => {
    const text = new TextEncoder().encode("plain text with GPS words");
    expect(stripMetadata(text, "text/plain")).toBe(text);
    const broken = new Uint8Array([0xff, 0xd8, 0x12, 0x34, 0x56]);
    expect(stripMetadata(broken, "image/jpeg")).toBe(broken);
  });
});
