/**
 * Signed rosters (docs/crypto.md §5.13): known-answer vectors and negative checks, part of the
 * suite that runs in Node and in Chromium (`crypto-vector-suite.ts`).
 */
import * as c from "../../crypto/index";
import rosterVectors from "../../crypto/vectors/roster.json";

type Check = [name: string, run: () => unknown | Promise<unknown>];
type CodeOf = (fn: () => unknown) => Promise<string>;

const hex = c.toHex;
const unhex = c.fromHex;

function eq(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e.slice(0, 200)}, got ${a.slice(0, 200)}`);
}

const office = () => c.generateStaffKeys(c.fixedRandom(unhex(rosterVectors.officeRandom)));

function rosterOf(v: (typeof rosterVectors.rosters)[number]): c.Roster {
  return {
    ...v.roster,
    kind: v.roster.kind as c.RosterKind,
    readers: v.roster.readers.map(({ boxPublicKeyHex, role, ...rest }) => ({
      ...rest,
      role: role as c.RosterRole,
      boxPublicKey: unhex(boxPublicKeyHex),
    })),
  };
}

/** Decoded roster as plain JSON (keys in hex), for comparisons. */
function plain(r: c.Roster): unknown {
  return {
    ...r,
    readers: r.readers.map(({ boxPublicKey, ...rest }) => ({
      ...rest,
      boxPublicKeyHex: hex(boxPublicKey),
    })),
  };
}

export function rosterVectorChecks(): Check[] {
  return rosterVectors.rosters.map((v) => [
    `roster ${v.name}`,
    () => {
      const keys = office();
      eq(hex(keys.signPublicKey), rosterVectors.officeSignPublicKeyHex, "office pk");
      const roster = rosterOf(v);
      const bytes = c.encodeRoster(roster);
      eq(hex(bytes), v.encodingHex, "encoding");
      eq(hex(c.signRoster(bytes, keys.signSecretKey)), v.signatureHex, "signature");
      const back = c.verifyRoster(unhex(v.encodingHex), unhex(v.signatureHex), keys.signPublicKey);
      eq(
        plain(back),
        plain({
          ...roster,
          districtIds: [...roster.districtIds].sort(),
          readers: [...roster.readers].sort((a, b) => (a.memberId < b.memberId ? -1 : 1)),
        }),
        "decoded",
      );
      // The encoder sorts: reversed input lists give the same bytes.
      eq(
        hex(
          c.encodeRoster({
            ...roster,
            districtIds: [...roster.districtIds].reverse(),
            readers: [...roster.readers].reverse(),
          }),
        ),
        v.encodingHex,
        "order-independent encoding",
      );
    },
  ]);
}

export function rosterNegativeChecks(codeOf: CodeOf): Check[] {
  const v = rosterVectors.rosters[0]!;
  const bytes = unhex(v.encodingHex);
  const signature = unhex(v.signatureHex);
  const keys = office();
  const rejected = async (fn: () => unknown, what: string, code?: string) => {
    const got = await codeOf(fn);
    if (got === "ok" || got.startsWith("untyped") || (code !== undefined && got !== code))
      throw new Error(`${what}: ${got}${code ? ` (wanted ${code})` : ""}`);
  };
  return [
    [
      "roster: every single-bit flip of the roster or signature rejected",
      async () => {
        for (let i = 0; i < bytes.length; i++) {
          const t = bytes.slice();
          t[i] = t[i]! ^ 1;
          await rejected(
            () => c.verifyRoster(t, signature, keys.signPublicKey),
            `roster byte ${i}`,
          );
        }
        for (let i = 0; i < signature.length; i++) {
          const t = signature.slice();
          t[i] = t[i]! ^ 1;
          await rejected(() => c.verifyRoster(bytes, t, keys.signPublicKey), `signature byte ${i}`);
        }
      },
    ],
    [
      "roster: another office's key → bad_signature",
      async () => {
        const other = c.generateStaffKeys(c.fixedRandom(new Uint8Array(64).fill(7)));
        await rejected(
          () => c.verifyRoster(bytes, signature, other.signPublicKey),
          "wrong key",
          "bad_signature",
        );
        const forged = c.signRoster(bytes, other.signSecretKey);
        await rejected(
          () => c.verifyRoster(bytes, forged, keys.signPublicKey),
          "forged",
          "bad_signature",
        );
      },
    ],
    [
      "roster: truncation and extension rejected",
      async () => {
        for (let n = 0; n < bytes.length; n++) {
          await rejected(() => c.decodeRoster(bytes.slice(0, n)), `decode ${n} bytes`);
          await rejected(
            () => c.verifyRoster(bytes.slice(0, n), signature, keys.signPublicKey),
            `verify ${n} bytes`,
          );
        }
        await rejected(
          () => c.decodeRoster(c.concatBytes(bytes, new Uint8Array([0]))),
          "extra byte",
          "bad_length",
        );
        await rejected(
          () => c.verifyRoster(bytes, signature.slice(0, 64), keys.signPublicKey),
          "short sig",
          "truncated",
        );
      },
    ],
    [
      "roster: non-canonical order and foreign tags rejected",
      async () => {
        // The same two readers in both orders: exactly one is canonical, the other is refused.
        const r = rosterOf(v);
        const [x, y] = [r.readers[0]!, r.readers[1]!];
        const single = (reader: c.RosterReader) => c.encodeRoster({ ...r, readers: [reader] });
        const readerLength = (reader: c.RosterReader) =>
          2 +
          c.utf8Encode(reader.memberId).length +
          32 +
          2 +
          c.utf8Encode(reader.homeDistrictId).length +
          1;
        const tail = (reader: c.RosterReader) => single(reader).slice(-readerLength(reader));
        const prefix = single(x).slice(0, -readerLength(x) - 2);
        const count = new Uint8Array([0, 2]);
        const xy = c.concatBytes(prefix, count, tail(x), tail(y));
        const yx = c.concatBytes(prefix, count, tail(y), tail(x));
        const canonical = hex(c.encodeRoster(r));
        if (hex(xy) !== canonical && hex(yx) !== canonical) throw new Error("test construction");
        await rejected(
          () => c.decodeRoster(hex(xy) === canonical ? yx : xy),
          "unsorted readers",
          "bad_format",
        );
        await rejected(
          () => c.decodeRoster(c.concatBytes(prefix, count, tail(x), tail(x))),
          "duplicate reader",
          "bad_format",
        );
        const approval = c.encodeStaffKeyApproval({
          memberId: "m",
          boxPublicKey: x.boxPublicKey,
          homeDistrictId: "d",
          validUntilMs: 1,
        });
        await rejected(() => c.decodeRoster(approval), "approval bytes as roster", "bad_version");
      },
    ],
  ];
}
