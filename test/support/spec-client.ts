/**
 * An independent Crosswatch client, written from docs/crypto.md alone: it imports nothing from
 * crypto/ or app/. XSalsa20, HSalsa20 and Poly1305 are implemented here from the NaCl
 * specification; X25519, Ed25519, SHA-2 and HMAC come from node:crypto (OpenSSL), argon2id from
 * hash-wasm used directly. test/unit/crypto/spec-client.test.ts runs it against the committed
 * vectors: if the spec leaves anything out, this file is where it shows.
 */
import {
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  sign,
  verify,
} from "node:crypto";
import { argon2id } from "hash-wasm";

// ---------------------------------------------------------------- encodings (§2)

export const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
export const unhex = (h: string) => new Uint8Array(Buffer.from(h, "hex"));
export const utf8 = (s: string) => new Uint8Array(Buffer.from(s, "utf8"));
export const concat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** §2: strict base64url — no padding, no `+/`, no white space, unused low bits zero. */
export function b64urlDecode(text: string): Uint8Array {
  if (text.length % 4 === 1) throw new Error("impossible length");
  let bits = 0;
  let acc = 0;
  const out: number[] = [];
  for (const ch of text) {
    const v = B64.indexOf(ch);
    if (v < 0) throw new Error("bad character");
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 0xff);
    }
  }
  if ((acc & ((1 << bits) - 1)) !== 0) throw new Error("non-canonical");
  return new Uint8Array(out);
}

export function b64urlEncode(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64url");
}

const be = (b: Uint8Array, at: number, width: number) => {
  let n = 0;
  for (let i = 0; i < width; i++) n = n * 256 + b[at + i]!;
  return n;
};
const u64be = (n: number) => {
  const out = new Uint8Array(8);
  let rest = n;
  for (let i = 7; i >= 0; i--) {
    out[i] = rest % 256;
    rest = Math.floor(rest / 256);
  }
  return out;
};

// ---------------------------------------------------------------- hashes (§1)

export const sha256 = (m: Uint8Array) => new Uint8Array(createHash("sha256").update(m).digest());
export const sha512 = (m: Uint8Array) => new Uint8Array(createHash("sha512").update(m).digest());
export const hmac = (key: Uint8Array, m: Uint8Array) =>
  new Uint8Array(createHmac("sha256", key).update(m).digest());
/** §3: subkeys are HMAC-SHA256(key, ASCII label). */
export const subkey = (key: Uint8Array, label: string) => hmac(key, utf8(label));

// ---------------------------------------------------------------- Salsa20 family (NaCl)

const SIGMA = [0x61707865, 0x3320646e, 0x79622d32, 0x6b206574];
const rotl = (x: number, n: number) => ((x << n) | (x >>> (32 - n))) >>> 0;
const words = (b: Uint8Array, count: number) => {
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(Buffer.from(b).readUInt32LE(4 * i));
  return out;
};

function salsaRounds(x: number[]): number[] {
  const s = x.slice();
  const qr = (a: number, b: number, c: number, d: number) => {
    s[b] = (s[b]! ^ rotl((s[a]! + s[d]!) >>> 0, 7)) >>> 0;
    s[c] = (s[c]! ^ rotl((s[b]! + s[a]!) >>> 0, 9)) >>> 0;
    s[d] = (s[d]! ^ rotl((s[c]! + s[b]!) >>> 0, 13)) >>> 0;
    s[a] = (s[a]! ^ rotl((s[d]! + s[c]!) >>> 0, 18)) >>> 0;
  };
  for (let i = 0; i < 10; i++) {
    qr(0, 4, 8, 12);
    qr(5, 9, 13, 1);
    qr(10, 14, 2, 6);
    qr(15, 3, 7, 11);
    qr(0, 1, 2, 3);
    qr(5, 6, 7, 4);
    qr(10, 11, 8, 9);
    qr(15, 12, 13, 14);
  }
  return s;
}

function state(key: Uint8Array, input: number[]): number[] {
  const k = words(key, 8);
  return [
    SIGMA[0]!,
    k[0]!,
    k[1]!,
    k[2]!,
    k[3]!,
    SIGMA[1]!,
    input[0]!,
    input[1]!,
    input[2]!,
    input[3]!,
    SIGMA[2]!,
    k[4]!,
    k[5]!,
    k[6]!,
    k[7]!,
    SIGMA[3]!,
  ];
}

/** HSalsa20(key, 16-byte input): the 32-byte output NaCl uses to derive subkeys. */
export function hsalsa20(key: Uint8Array, input16: Uint8Array): Uint8Array {
  const z = salsaRounds(state(key, words(input16, 4)));
  const out = Buffer.alloc(32);
  [0, 5, 10, 15, 6, 7, 8, 9].forEach((i, j) => out.writeUInt32LE(z[i]!, 4 * j));
  return new Uint8Array(out);
}

function xsalsa20Stream(key: Uint8Array, nonce24: Uint8Array, length: number): Uint8Array {
  const sub = hsalsa20(key, nonce24.subarray(0, 16));
  const n = words(nonce24.subarray(16), 2);
  const out = new Uint8Array(length);
  for (let block = 0; block * 64 < length; block++) {
    const x = state(sub, [n[0]!, n[1]!, block >>> 0, Math.floor(block / 2 ** 32)]);
    const z = salsaRounds(x);
    const bytes = Buffer.alloc(64);
    for (let i = 0; i < 16; i++) bytes.writeUInt32LE((z[i]! + x[i]!) >>> 0, 4 * i);
    out.set(bytes.subarray(0, Math.min(64, length - block * 64)), block * 64);
  }
  return out;
}

function le(b: Uint8Array): bigint {
  let n = 0n;
  for (let i = b.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(b[i]!);
  return n;
}

export function poly1305(key: Uint8Array, m: Uint8Array): Uint8Array {
  const p = (1n << 130n) - 5n;
  const r = le(key.subarray(0, 16)) & 0x0ffffffc0ffffffc0ffffffc0fffffffn;
  const s = le(key.subarray(16, 32));
  let acc = 0n;
  for (let at = 0; at < m.length; at += 16) {
    const block = m.subarray(at, at + 16);
    acc = ((acc + le(block) + (1n << BigInt(8 * block.length))) * r) % p;
  }
  acc = (acc + s) & ((1n << 128n) - 1n);
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = Number((acc >> BigInt(8 * i)) & 0xffn);
  return out;
}

/** crypto_secretbox: tag ‖ ciphertext; the first 32 keystream bytes are the Poly1305 key. */
export function secretboxSeal(m: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array {
  const stream = xsalsa20Stream(key, nonce, 32 + m.length);
  const c = m.map((b, i) => b ^ stream[32 + i]!);
  return concat(poly1305(stream.subarray(0, 32), c), c);
}

export function secretboxOpen(box: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array {
  if (box.length < 16) throw new Error("too short");
  const c = box.subarray(16);
  const stream = xsalsa20Stream(key, nonce, 32 + c.length);
  if (hex(poly1305(stream.subarray(0, 32), c)) !== hex(box.subarray(0, 16))) {
    throw new Error("MAC");
  }
  return c.map((b, i) => b ^ stream[32 + i]!);
}

// ---------------------------------------------------------------- X25519 / Ed25519 (OpenSSL)

const X25519_PKCS8 = unhex("302e020100300506032b656e04220420");
const X25519_SPKI = unhex("302a300506032b656e032100");
const ED25519_PKCS8 = unhex("302e020100300506032b657004220420");
const ED25519_SPKI = unhex("302a300506032b6570032100");

const x25519Private = (sk: Uint8Array) =>
  createPrivateKey({ key: Buffer.from(concat(X25519_PKCS8, sk)), format: "der", type: "pkcs8" });
const x25519PublicObj = (pk: Uint8Array) =>
  createPublicKey({ key: Buffer.from(concat(X25519_SPKI, pk)), format: "der", type: "spki" });

export function x25519Public(sk: Uint8Array): Uint8Array {
  const der = createPublicKey(x25519Private(sk)).export({ format: "der", type: "spki" });
  return new Uint8Array(der.subarray(der.length - 32));
}

/** X25519(sk, pk); OpenSSL refuses an all-zero result, which we report as null. */
export function x25519(sk: Uint8Array, pk: Uint8Array): Uint8Array | null {
  try {
    return new Uint8Array(
      diffieHellman({ privateKey: x25519Private(sk), publicKey: x25519PublicObj(pk) }),
    );
  } catch {
    return null;
  }
}

/** crypto_box = X25519, then HSalsa20(shared, 0^16) as the secretbox key (§1). */
export function boxKey(sk: Uint8Array, pk: Uint8Array): Uint8Array {
  const shared = x25519(sk, pk);
  if (!shared) throw new Error("low-order key");
  return hsalsa20(shared, new Uint8Array(16));
}

export function ed25519Sign(seed: Uint8Array, m: Uint8Array): Uint8Array {
  const key = createPrivateKey({
    key: Buffer.from(concat(ED25519_PKCS8, seed)),
    format: "der",
    type: "pkcs8",
  });
  return new Uint8Array(sign(null, m, key));
}

export function ed25519Verify(pk: Uint8Array, m: Uint8Array, sig: Uint8Array): boolean {
  const key = createPublicKey({
    key: Buffer.from(concat(ED25519_SPKI, pk)),
    format: "der",
    type: "spki",
  });
  return verify(null, m, key, sig);
}

// ---------------------------------------------------------------- padding (§4)

export function unpad(p: Uint8Array, minBucket: number, maxBucket: number): Uint8Array {
  let ok = false;
  for (let b = minBucket; b <= maxBucket; b *= 2) ok ||= b === p.length;
  if (!ok) throw new Error("not a bucket");
  const n = be(p, 0, 4);
  if (n > p.length - 4) throw new Error("length");
  if (p.subarray(4 + n).some((x) => x !== 0)) throw new Error("padding");
  return p.slice(4, 4 + n);
}

export function pad(m: Uint8Array, minBucket: number): Uint8Array {
  let bucket = minBucket;
  while (bucket < m.length + 4) bucket *= 2;
  const out = new Uint8Array(bucket);
  Buffer.from(out.buffer).writeUInt32BE(m.length, 0);
  out.set(m, 4);
  return out;
}

export const MESSAGE = { min: 256, max: 65536 };
export const PAYLOAD = { min: 1024, max: 1 << 20 };
export const HEADER = { min: 256, max: 1024 };
const json = (b: Uint8Array) => JSON.parse(Buffer.from(b).toString("utf8")) as unknown;

// ---------------------------------------------------------------- receipts (§5.4)

const DAMM = [
  "0317598642",
  "7092154863",
  "4206871359",
  "1750983426",
  "6123045978",
  "3674209581",
  "5869720134",
  "8945362017",
  "9438617205",
  "2581436790",
].map((row) => [...row].map(Number));

export function parseReceipt(input: string): { digits: string } | { error: string } {
  if (input.length > 100) return { error: "bad_length" };
  const folded = input
    .normalize("NFKC")
    .replace(/[\s\-\u2010\u2011\u2012\u2013\u2014\u2212\u30fc]/gu, "");
  if (!/^[0-9]*$/.test(folded)) return { error: "bad_format" };
  if (folded.length !== 16) return { error: "bad_length" };
  let interim = 0;
  for (const d of folded) interim = DAMM[interim]![Number(d)]!;
  return interim === 0 ? { digits: folded } : { error: "bad_checksum" };
}

/** §3: receipt KDF parameters by version (receipts do not say which; clients try newest first). */
export const RECEIPT_KDF = {
  3: { memoryKiB: 65536, iterations: 2, parallelism: 2 },
  2: { memoryKiB: 65536, iterations: 3, parallelism: 1 },
  1: { memoryKiB: 47104, iterations: 2, parallelism: 1 },
} as const;

export async function receiptKeys(
  digits: string,
  salt: Uint8Array,
  p: { memoryKiB: number; iterations: number; parallelism: number },
) {
  const out = await argon2id({
    password: digits,
    salt,
    memorySize: p.memoryKiB,
    iterations: p.iterations,
    parallelism: p.parallelism,
    hashLength: 64,
    outputType: "binary",
  });
  const authSecret = out.slice(0, 32);
  const boxSecretKey = out.slice(32, 64);
  return {
    authSecret,
    authLookupHash: hex(sha256(authSecret)),
    boxSecretKey,
    boxPublicKey: x25519Public(boxSecretKey),
  };
}

// ---------------------------------------------------------------- key envelopes and tips (§5.1-5.3)

export const PURPOSE = { tip: 1, identity: 2, tipster: 3 } as const;

export function openEnvelope(env: Uint8Array, sk: Uint8Array, purpose: number): Uint8Array {
  if (env[0] !== 0x11 || env.length !== 106) throw new Error("envelope");
  const plain = secretboxOpen(
    env.subarray(57),
    env.subarray(33, 57),
    boxKey(sk, env.subarray(1, 33)),
  );
  if (plain[0] !== purpose) throw new Error("purpose");
  return plain.slice(1);
}

/** §5.1 with explicit randomness: ephemeral secret (32) then nonce (24). */
export function sealEnvelope(
  key: Uint8Array,
  pk: Uint8Array,
  purpose: number,
  ephemeralSecret: Uint8Array,
  nonce: Uint8Array,
): Uint8Array {
  const box = secretboxSeal(
    concat(new Uint8Array([purpose]), key),
    nonce,
    boxKey(ephemeralSecret, pk),
  );
  return concat(new Uint8Array([0x11]), x25519Public(ephemeralSecret), nonce, box);
}

export function openSymmetricBlob(
  tag: number,
  blob: Uint8Array,
  key: Uint8Array,
  bucket: { min: number; max: number },
): unknown {
  if (blob[0] !== tag) throw new Error("tag");
  return json(
    unpad(secretboxOpen(blob.subarray(25), blob.subarray(1, 25), key), bucket.min, bucket.max),
  );
}

export const tipsterView = (root: Uint8Array) => subkey(root, "crosswatch/v1/tipster-view");

// ---------------------------------------------------------------- approvals (§5.6)

export function approvalEncoding(a: {
  memberId: string;
  boxPublicKey: Uint8Array;
  signPublicKey?: Uint8Array;
  homeDistrictId: string;
  validUntilMs: number;
}): Uint8Array {
  const m = utf8(a.memberId);
  const d = utf8(a.homeDistrictId);
  const u16 = (n: number) => new Uint8Array([n >> 8, n & 0xff]);
  return concat(
    new Uint8Array([a.signPublicKey ? 0x63 : 0x61]),
    u16(m.length),
    m,
    a.boxPublicKey,
    a.signPublicKey ?? new Uint8Array(0),
    u16(d.length),
    d,
    u64be(a.validUntilMs),
  );
}

export const approvalSignedBytes = (encoding: Uint8Array) =>
  concat(utf8("crosswatch/v1/staff-key-approval"), new Uint8Array([0]), encoding);

// ---------------------------------------------------------------- signed staff messages (§5.7.1)

export interface Statement {
  binding: Uint8Array;
  messageId: string;
  writtenAtMs: number;
  context: { kind: "reply" } | { kind: "status"; status: string };
  memberId: string;
  signPublicKey: Uint8Array;
  body: unknown;
}

export function parseStatement(st: Uint8Array): Statement {
  if (st[0] !== 0x46) throw new Error("statement tag");
  const s = st[58]!;
  const kind = st[57];
  const status = Buffer.from(st.subarray(59, 59 + s)).toString("ascii");
  if (kind === 1 && s !== 0) throw new Error("reply with status");
  if (kind !== 1 && kind !== 2) throw new Error("context");
  const m = be(st, 59 + s, 2);
  const at = 61 + s;
  return {
    binding: st.slice(1, 33),
    messageId: hex(st.subarray(33, 49)),
    writtenAtMs: be(st, 49, 8),
    context: kind === 1 ? { kind: "reply" } : { kind: "status", status },
    memberId: Buffer.from(st.subarray(at, at + m)).toString("utf8"),
    signPublicKey: st.slice(at + m, at + m + 32),
    body: json(st.subarray(at + m + 32)),
  };
}

export const statementSignedBytes = (st: Uint8Array) =>
  concat(utf8("crosswatch/v1/staff-message"), new Uint8Array([0]), st);

/** Opens and checks a 0x45 message as the tipster: box, signature, binding to this tip. */
export function openSignedMessage(blob: Uint8Array, receiptSecret: Uint8Array, view: Uint8Array) {
  if (blob[0] !== 0x45) throw new Error("tag");
  const inner = unpad(
    secretboxOpen(
      blob.subarray(57),
      blob.subarray(33, 57),
      boxKey(receiptSecret, blob.subarray(1, 33)),
    ),
    MESSAGE.min,
    MESSAGE.max,
  );
  const st = inner.subarray(0, inner.length - 64);
  const sig = inner.subarray(inner.length - 64);
  const parsed = parseStatement(st);
  const signatureOk = ed25519Verify(parsed.signPublicKey, statementSignedBytes(st), sig);
  const bindingOk =
    hex(parsed.binding) === hex(subkey(view, "crosswatch/v1/staff-message-binding"));
  return { ...parsed, statement: st, signature: sig, signatureOk, bindingOk };
}

// ---------------------------------------------------------------- attachments (§5.8)

export function openAttachment(key: Uint8Array, header: Uint8Array, chunks: Uint8Array[]) {
  if (header[0] !== 0x51) throw new Error("header tag");
  const prefix = header.subarray(1, 17);
  const nonce = (index: number, flag: number) => {
    const n = new Uint8Array(24);
    n.set(prefix, 0);
    n.set(u64be(index).subarray(1), 16);
    n[23] = flag;
    return n;
  };
  const meta = json(
    unpad(secretboxOpen(header.subarray(17), nonce(0, 2), key), HEADER.min, HEADER.max),
  ) as { name: string; type: string; size: number };
  const parts = chunks.map((c, i) => {
    const last = i === chunks.length - 1;
    if (c[0] !== (last ? 0x53 : 0x52)) throw new Error("chunk tag");
    return secretboxOpen(c.subarray(1), nonce(i, last ? 1 : 0), key);
  });
  const data = concat(...parts);
  if (data.length !== meta.size) throw new Error("size");
  return { meta, data };
}

// ---------------------------------------------------------------- proof of work (§5.9)

export function checkPow(challenge: string, solution: string, secret: Uint8Array, nowMs: number) {
  const ch = b64urlDecode(challenge);
  if (ch.length !== 58 || ch[0] !== 0x71) return "bad_format";
  if (hex(hmac(secret, ch.subarray(0, 26))) !== hex(ch.subarray(26))) return "bad_signature";
  if (nowMs > be(ch, 18, 8)) return "expired";
  const digest = sha256(concat(ch, b64urlDecode(solution)));
  const d = ch[17]!;
  for (let bit = 0; bit < d; bit++) {
    if ((digest[bit >> 3]! >> (7 - (bit & 7))) & 1) return "insufficient_work";
  }
  return "ok";
}

// ---------------------------------------------------------------- fingerprints (§5.10)

export function fingerprint(pk: Uint8Array): string {
  const d = sha512(concat(utf8("crosswatch/v1/fingerprint"), new Uint8Array([0]), pk));
  const groups: string[] = [];
  for (let g = 0; g < 8; g++) groups.push(String(be(d, 5 * g, 5) % 100000).padStart(5, "0"));
  return groups.join(" ");
}

/** §5.8 encryption with explicit randomness: key (32) and nonce prefix P (16), in that order. */
export function sealAttachment(
  data: Uint8Array,
  meta: { name: string; type: string },
  random: Uint8Array,
) {
  const key = random.slice(0, 32);
  const prefix = random.slice(32, 48);
  const nonce = (index: number, flag: number) => {
    const n = new Uint8Array(24);
    n.set(prefix, 0);
    n.set(u64be(index).subarray(1), 16);
    n[23] = flag;
    return n;
  };
  const headerJson = utf8(JSON.stringify({ name: meta.name, type: meta.type, size: data.length }));
  const header = concat(
    new Uint8Array([0x51]),
    prefix,
    secretboxSeal(pad(headerJson, HEADER.min), nonce(0, 2), key),
  );
  const count = Math.max(1, Math.ceil(data.length / 65536));
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const last = i === count - 1;
    const part = data.subarray(i * 65536, (i + 1) * 65536);
    chunks.push(
      concat(
        new Uint8Array([last ? 0x53 : 0x52]),
        secretboxSeal(part, nonce(i, last ? 1 : 0), key),
      ),
    );
  }
  return { key, header, chunks };
}

/** §5.5: 0x31 ‖ m ‖ t ‖ p ‖ salt ‖ nonce ‖ secretbox(box secret ‖ Ed25519 seed). */
export async function unwrapStaffKeys(blob: Uint8Array, passphrase: string) {
  if (blob[0] !== 0x31 || blob.length !== 130) throw new Error("format");
  const key = await argon2id({
    password: utf8(passphrase.normalize("NFC")),
    salt: blob.slice(10, 26),
    memorySize: be(blob, 1, 4),
    iterations: be(blob, 5, 4),
    parallelism: blob[9]!,
    hashLength: 32,
    outputType: "binary",
  });
  const secrets = secretboxOpen(blob.subarray(50), blob.subarray(26, 50), key);
  return { boxSecretKey: secrets.slice(0, 32), signSeed: secrets.slice(32, 64) };
}

export function ed25519Public(seed: Uint8Array): Uint8Array {
  const key = createPrivateKey({
    key: Buffer.from(concat(ED25519_PKCS8, seed)),
    format: "der",
    type: "pkcs8",
  });
  const der = createPublicKey(key).export({ format: "der", type: "spki" });
  return new Uint8Array(der.subarray(der.length - 32));
}

// ---------------------------------------------------------------- findings (§5.11)

export const FINDING_PURPOSE = 0x04;

/** body or note key: HMAC-SHA256(F, label ‖ 0x00 ‖ finding id) */
export const findingKey = (root: Uint8Array, kind: "body" | "note", findingId: string) =>
  hmac(root, concat(utf8(`crosswatch/v1/finding-${kind}`), new Uint8Array([0]), utf8(findingId)));

/** §5.7's symmetric layout with an explicit nonce: tag ‖ nonce ‖ secretbox(pad(JSON)). */
export function sealSymmetricBlob(
  tag: number,
  value: unknown,
  key: Uint8Array,
  nonce: Uint8Array,
  minBucket: number,
): Uint8Array {
  const padded = pad(utf8(JSON.stringify(value)), minBucket);
  return concat(new Uint8Array([tag]), nonce, secretboxSeal(padded, nonce, key));
}

// ---------------------------------------------------------------- rosters (§5.13)

export interface SpecRoster {
  kind: "team" | "office" | "receiving_body";
  jurisdictionId: string;
  rosterId: string;
  roundId: string;
  serial: number;
  issuedAtMs: number;
  validFromMs: number;
  validUntilMs: number;
  districtIds: string[];
  readers: { memberId: string; boxPublicKey: Uint8Array; homeDistrictId: string; role: string }[];
}

const ROSTER_KIND = { team: 1, office: 2, receiving_body: 3 } as const;
const ROSTER_ROLE: Record<string, number> = {
  leader: 1,
  deputy_leader: 2,
  liaison: 3,
  member: 4,
  office: 5,
  receiver: 6,
};

const byBytes = (a: Uint8Array, b: Uint8Array) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** The one encoding of a roster: districts and readers sorted by the bytes of their ids. */
export function rosterEncoding(r: SpecRoster): Uint8Array {
  const u16 = (n: number) => new Uint8Array([n >> 8, n & 0xff]);
  const str = (s: string) => {
    const b = utf8(s);
    return concat(u16(b.length), b);
  };
  const role = (name: string) => {
    const n = ROSTER_ROLE[name];
    if (n === undefined) throw new Error(`role ${name}`);
    return n;
  };
  const districts = r.districtIds.map(utf8).sort(byBytes);
  const readers = [...r.readers].sort((a, b) => byBytes(utf8(a.memberId), utf8(b.memberId)));
  return concat(
    new Uint8Array([0x91, ROSTER_KIND[r.kind]]),
    str(r.jurisdictionId),
    str(r.rosterId),
    str(r.roundId),
    new Uint8Array([
      r.serial >>> 24,
      (r.serial >>> 16) & 0xff,
      (r.serial >>> 8) & 0xff,
      r.serial & 0xff,
    ]),
    u64be(r.issuedAtMs),
    u64be(r.validFromMs),
    u64be(r.validUntilMs),
    u16(districts.length),
    ...districts.map((d) => concat(u16(d.length), d)),
    u16(readers.length),
    ...readers.map((x) =>
      concat(
        str(x.memberId),
        x.boxPublicKey,
        str(x.homeDistrictId),
        new Uint8Array([role(x.role)]),
      ),
    ),
  );
}

export const rosterSignedBytes = (encoding: Uint8Array) =>
  concat(utf8("crosswatch/v1/roster"), new Uint8Array([0]), encoding);
