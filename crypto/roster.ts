/**
 * Signed rosters: the office's statement of who may read tips about which districts, and when
 * (DESIGN §4, docs/crypto.md §5.13). Canonical bytes:
 *
 *   0x91 ‖ kind (u8) ‖ str jurisdiction ‖ str roster id ‖ str round id (may be empty)
 *        ‖ serial (u32) ‖ issued-at ‖ valid-from ‖ valid-until (u64 ms each)
 *        ‖ u16 n ‖ n × str district id            (strictly ascending by bytes)
 *        ‖ u16 r ‖ r × ( str member id ‖ box public key (32) ‖ str home district ‖ role (u8) )
 *                                                  (strictly ascending by member id bytes)
 *   str = u16 BE length ‖ UTF-8 bytes (1..255 bytes; the round id alone may be empty)
 *
 * Signature: 0x92 ‖ Ed25519("crosswatch/v1/roster" ‖ 0x00 ‖ roster bytes). The decoder accepts
 * only the canonical form (sorted, unique, no trailing bytes), so one roster has exactly one
 * byte string and one signature.
 */
import {
  concatBytes,
  expectBytes,
  readU16be,
  readUintBE,
  u16be,
  uintBE,
  utf8Decode,
  utf8Encode,
} from "./bytes";
import { CryptoError, ensure } from "./errors";
import { expectTag } from "./envelope";
import { LABEL, TAG } from "./formats";
import { SIGNATURE_BYTES, signDetached, verifyDetached } from "./nacl";
import { assertUsablePublicKey } from "./public-key-check";

export const ROSTER_KINDS = ["team", "office", "receiving_body"] as const;
export type RosterKind = (typeof ROSTER_KINDS)[number];
export const ROSTER_ROLES = [
  "leader",
  "deputy_leader",
  "liaison",
  "member",
  "office",
  "receiver",
] as const;
export type RosterRole = (typeof ROSTER_ROLES)[number];

export interface RosterReader {
  readonly memberId: string;
  readonly boxPublicKey: Uint8Array;
  /** The reader's home district as the office knows it ("-" for none). */
  readonly homeDistrictId: string;
  readonly role: RosterRole;
}

export interface Roster {
  readonly kind: RosterKind;
  /** The office that signs it. */
  readonly jurisdictionId: string;
  /** Stationing id (team), fallback roster id (office) or receiving body id. */
  readonly rosterId: string;
  /** Round of a team stationing; "" for the other kinds. */
  readonly roundId: string;
  /** Bumped on every re-signing of the same roster id; the highest serial is current. */
  readonly serial: number;
  readonly issuedAtMs: number;
  /** Valid for validFromMs <= now < validUntilMs. */
  readonly validFromMs: number;
  readonly validUntilMs: number;
  /** Districts whose tips these readers may read. */
  readonly districtIds: readonly string[];
  readonly readers: readonly RosterReader[];
}

export const MAX_ROSTER_DISTRICTS = 4096;
export const MAX_ROSTER_READERS = 256;
const MAX_STR_BYTES = 255;
export const ROSTER_SIGNATURE_BYTES = 1 + SIGNATURE_BYTES;

function strBytes(value: unknown, what: string, allowEmpty = false): Uint8Array {
  if (typeof value !== "string") throw new CryptoError("bad_input", `${what} must be a string`);
  const bytes = utf8Encode(value);
  ensure(
    (allowEmpty || bytes.length >= 1) && bytes.length <= MAX_STR_BYTES,
    "bad_length",
    `${what} must be ${allowEmpty ? 0 : 1}-255 bytes`,
  );
  return bytes;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function str(bytes: Uint8Array): Uint8Array {
  return concatBytes(u16be(bytes.length), bytes);
}

/** Canonical bytes of a roster; sorts districts and readers, refuses duplicates. */
export function encodeRoster(r: Roster): Uint8Array {
  if (!r || typeof r !== "object") throw new CryptoError("bad_input", "roster required");
  const kind = ROSTER_KINDS.indexOf(r.kind);
  ensure(kind >= 0, "bad_input", "unknown roster kind");
  ensure(
    Number.isInteger(r.serial) && r.serial >= 0 && r.serial <= 0xffffffff,
    "bad_input",
    "serial must be a u32",
  );
  ensure(
    Number.isSafeInteger(r.validFromMs) &&
      Number.isSafeInteger(r.validUntilMs) &&
      r.validFromMs < r.validUntilMs,
    "bad_input",
    "validity must be a non-empty interval",
  );
  ensure(Array.isArray(r.districtIds) && Array.isArray(r.readers), "bad_input", "lists required");
  ensure(r.districtIds.length >= 1, "bad_input", "a roster covers at least one district");
  ensure(r.districtIds.length <= MAX_ROSTER_DISTRICTS, "oversize", "too many districts");
  ensure(r.readers.length >= 1, "bad_input", "a roster lists at least one reader");
  ensure(r.readers.length <= MAX_ROSTER_READERS, "oversize", "too many readers");

  const districts = r.districtIds.map((d) => strBytes(d, "district id")).sort(compareBytes);
  for (let i = 1; i < districts.length; i++) {
    ensure(compareBytes(districts[i - 1]!, districts[i]!) !== 0, "bad_input", "duplicate district");
  }
  const readers = r.readers
    .map((rd) => {
      const role = ROSTER_ROLES.indexOf(rd?.role);
      ensure(role >= 0, "bad_input", "unknown reader role");
      return {
        member: strBytes(rd.memberId, "member id"),
        key: assertUsablePublicKey(
          expectBytes(rd.boxPublicKey, 32, "reader box public key"),
          "reader box public key",
        ),
        home: strBytes(rd.homeDistrictId, "home district id"),
        role: role + 1,
      };
    })
    .sort((a, b) => compareBytes(a.member, b.member));
  for (let i = 1; i < readers.length; i++) {
    ensure(
      compareBytes(readers[i - 1]!.member, readers[i]!.member) !== 0,
      "bad_input",
      "duplicate reader",
    );
  }
  return concatBytes(
    new Uint8Array([TAG.ROSTER_V1, kind + 1]),
    str(strBytes(r.jurisdictionId, "jurisdiction id")),
    str(strBytes(r.rosterId, "roster id")),
    str(strBytes(r.roundId, "round id", true)),
    uintBE(r.serial, 4),
    uintBE(r.issuedAtMs, 8),
    uintBE(r.validFromMs, 8),
    uintBE(r.validUntilMs, 8),
    u16be(districts.length),
    ...districts.map(str),
    u16be(readers.length),
    ...readers.flatMap((rd) => [str(rd.member), rd.key, str(rd.home), new Uint8Array([rd.role])]),
  );
}

/** Parses canonical roster bytes. Errors: bad_version, truncated, bad_length, bad_format, oversize. */
export function decodeRoster(bytes: Uint8Array): Roster {
  expectTag(bytes, TAG.ROSTER_V1, "roster");
  let at = 1;
  const need = (n: number) => ensure(at + n <= bytes.length, "truncated", "roster ends early");
  const u8 = () => {
    need(1);
    return bytes[at++]!;
  };
  const uint = (width: number) => {
    need(width);
    const v = readUintBE(bytes, at, width);
    at += width;
    return v;
  };
  const strAt = (what: string, allowEmpty = false): [string, Uint8Array] => {
    need(2);
    const len = readU16be(bytes, at);
    at += 2;
    ensure(
      (allowEmpty || len >= 1) && len <= MAX_STR_BYTES,
      "bad_format",
      `${what} length out of range`,
    );
    need(len);
    const raw = bytes.slice(at, at + len);
    at += len;
    return [utf8Decode(raw), raw];
  };
  const kindByte = u8();
  const kind = ROSTER_KINDS[kindByte - 1];
  ensure(kind !== undefined, "bad_format", "unknown roster kind");
  const [jurisdictionId] = strAt("jurisdiction id");
  const [rosterId] = strAt("roster id");
  const [roundId] = strAt("round id", true);
  const serial = uint(4);
  const issuedAtMs = uint(8);
  const validFromMs = uint(8);
  const validUntilMs = uint(8);
  ensure(validFromMs < validUntilMs, "bad_format", "empty validity interval");
  const districtCount = uint(2);
  ensure(districtCount >= 1, "bad_format", "no district");
  ensure(districtCount <= MAX_ROSTER_DISTRICTS, "oversize", "too many districts");
  const districtIds: string[] = [];
  let previous: Uint8Array | null = null;
  for (let i = 0; i < districtCount; i++) {
    const [id, raw] = strAt("district id");
    ensure(
      previous === null || compareBytes(previous, raw) < 0,
      "bad_format",
      "districts not in canonical order",
    );
    previous = raw;
    districtIds.push(id);
  }
  const readerCount = uint(2);
  ensure(readerCount >= 1, "bad_format", "no reader");
  ensure(readerCount <= MAX_ROSTER_READERS, "oversize", "too many readers");
  const readers: RosterReader[] = [];
  previous = null;
  for (let i = 0; i < readerCount; i++) {
    const [memberId, raw] = strAt("member id");
    ensure(
      previous === null || compareBytes(previous, raw) < 0,
      "bad_format",
      "readers not in canonical order",
    );
    previous = raw;
    need(32);
    const boxPublicKey = assertUsablePublicKey(bytes.slice(at, at + 32), "reader box public key");
    at += 32;
    const [homeDistrictId] = strAt("home district id");
    const role = ROSTER_ROLES[u8() - 1];
    ensure(role !== undefined, "bad_format", "unknown reader role");
    readers.push({ memberId, boxPublicKey, homeDistrictId, role });
  }
  ensure(at === bytes.length, "bad_length", "bytes after the roster");
  return {
    kind,
    jurisdictionId,
    rosterId,
    roundId,
    serial,
    issuedAtMs,
    validFromMs,
    validUntilMs,
    districtIds,
    readers,
  };
}

function signedMessage(rosterBytes: Uint8Array): Uint8Array {
  return concatBytes(utf8Encode(LABEL.ROSTER), new Uint8Array([0]), rosterBytes);
}

/**
 * Signs canonical roster bytes (checked by decoding first) with the office's Ed25519 key.
 * Returns 0x92 ‖ signature (65 bytes). Deterministic.
 */
export function signRoster(rosterBytes: Uint8Array, officeSignSecretKey: Uint8Array): Uint8Array {
  decodeRoster(rosterBytes);
  const signature = signDetached(signedMessage(rosterBytes), officeSignSecretKey);
  return concatBytes(new Uint8Array([TAG.ROSTER_SIGNATURE_V1]), signature);
}

/**
 * Verifies the office signature over the exact roster bytes, then decodes them. Throws
 * `bad_signature` for any other key or any changed byte. Says nothing about time or coverage:
 * whether the roster is current and covers a district is the caller's policy.
 */
export function verifyRoster(
  rosterBytes: Uint8Array,
  signature: Uint8Array,
  officeSignPublicKey: Uint8Array,
): Roster {
  expectTag(signature, TAG.ROSTER_SIGNATURE_V1, "roster signature");
  ensure(signature.length >= ROSTER_SIGNATURE_BYTES, "truncated", "roster signature too short");
  ensure(signature.length === ROSTER_SIGNATURE_BYTES, "bad_length", "roster signature too long");
  expectBytes(officeSignPublicKey, 32, "office public key");
  expectTag(rosterBytes, TAG.ROSTER_V1, "roster");
  const ok = verifyDetached(signedMessage(rosterBytes), signature.subarray(1), officeSignPublicKey);
  ensure(ok, "bad_signature", "office signature does not verify");
  return decodeRoster(rosterBytes);
}
