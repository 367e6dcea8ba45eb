/**
 * Generates crypto/vectors/*.json (known-answer vectors) and the worked example in docs/crypto.md.
 * Run once per format change: `npx tsx scripts/gen-crypto-vectors.ts`. Tests only read the output.
 * All randomness comes from labelled deterministic streams and is stored in each vector.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as c from "../crypto/index";
import { boxKeyFromSharedSecret, signDetached, x25519 } from "../crypto/nacl";
import { patternBytes, recordingRandom } from "../test/support/crypto-vector-random";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const hex = c.toHex;
const utf8 = c.utf8Encode;

function write(name: string, about: string, body: object): void {
  const file = path.join(root, "crypto/vectors", `${name}.json`);
  writeFileSync(file, JSON.stringify({ about, ...body }, null, 2) + "\n");
  console.log("wrote", path.relative(root, file));
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
    return "ok";
  } catch (e) {
    if (c.isCryptoError(e)) return e.code;
    throw e;
  }
}

// ---------------------------------------------------------------- primitives
const shaInputs = ["", "abc", "a".repeat(55), "a".repeat(56), "a".repeat(64), "a".repeat(200)].map(
  utf8,
);
const b64Inputs = [0, 1, 2, 3, 4, 5, 32, 58].map((n) => patternBytes(n));
const fingerprintKeys = [new Uint8Array(32), patternBytes(32), new Uint8Array(32).fill(0xff)];
write("primitives", "SHA-256, HMAC-SHA256, base64url and fingerprints (crosswatch protocol v1)", {
  sha256: shaInputs.map((m) => ({ messageHex: hex(m), digestHex: hex(c.sha256(m)) })),
  hmacSha256: [
    {
      keyHex: hex(utf8("key")),
      messageHex: hex(utf8("The quick brown fox jumps over the lazy dog")),
    },
    { keyHex: hex(patternBytes(32)), messageHex: "" },
    { keyHex: hex(patternBytes(100)), messageHex: hex(patternBytes(300)) },
  ].map((v) => ({ ...v, tagHex: hex(c.hmacSha256(c.fromHex(v.keyHex), c.fromHex(v.messageHex))) })),
  base64url: b64Inputs.map((b) => ({ hex: hex(b), text: c.base64urlEncode(b) })),
  base64urlInvalid: ["A", "AB=", "AB+/", "AB C", "AR", "AAB", "****", "é"],
  fingerprint: fingerprintKeys.map((k) => ({
    publicKeyHex: hex(k),
    fingerprint: c.fingerprint(k),
  })),
});

// ---------------------------------------------------------------- receipts
const receiptGenerate = [1, 2, 3].map((i) => {
  const random = recordingRandom(`receipt-generate-${i}`);
  const receipt = c.generateReceipt(random);
  return { random: random.consumedHex(), receipt };
});
const sampleReceipt = receiptGenerate[0]!.receipt;
const sampleDigits = sampleReceipt.replace(/ /g, "");
const parseCases = [
  sampleReceipt,
  sampleDigits,
  sampleReceipt.replace(/ /g, "-"),
  sampleDigits.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d))),
  sampleReceipt.replace(/ /g, "\u3000"),
  ` ${sampleDigits.slice(0, 8)} - ${sampleDigits.slice(8)} `,
  sampleDigits.slice(0, 15),
  sampleDigits + "0",
  sampleDigits.slice(0, 15) + String((Number(sampleDigits[15]) + 1) % 10),
  sampleDigits.slice(0, 14) + sampleDigits[15] + sampleDigits[14],
  sampleDigits.slice(0, 4) + "a" + sampleDigits.slice(5),
  "",
].map((input) => {
  try {
    return { input, digits: c.parseReceipt(input) };
  } catch (e) {
    if (!c.isCryptoError(e)) throw e;
    return { input, error: e.code };
  }
});
const saltA = patternBytes(16);
const saltB = c.sha256(utf8("crosswatch example site salt"));
const receiptDerive: {
  version: c.ReceiptKdfVersion;
  receipt: string;
  siteSaltHex: string;
  params: c.Argon2Params;
  authSecretHex: string;
  authLookupHash: string;
  boxSecretKeyHex: string;
  boxPublicKeyHex: string;
}[] = [];
// The current version first (the docs' worked example uses entry 0), then every older version:
// receipts made under an old version must keep opening.
for (const version of c.RECEIPT_KDF_TRY_ORDER) {
  for (const [receipt, salt] of [
    [sampleReceipt, saltA],
    [receiptGenerate[1]!.receipt, saltB],
  ] as const) {
    const keys = await c.deriveReceiptKeys(receipt, salt, { version });
    receiptDerive.push({
      version,
      receipt,
      siteSaltHex: hex(salt),
      params: c.RECEIPT_KDF_VERSIONS[version],
      authSecretHex: hex(keys.authSecret),
      authLookupHash: c.authLookupHash(keys.authSecret),
      boxSecretKeyHex: hex(keys.boxSecretKey),
      boxPublicKeyHex: hex(keys.boxPublicKey),
    });
  }
}
write("receipt", "Receipt generation (Damm check digit), parsing and argon2id key derivation", {
  generate: receiptGenerate,
  parse: parseCases,
  derive: receiptDerive,
});

// ---------------------------------------------------------------- staff keys + signatures
function staffFrom(label: string) {
  const random = recordingRandom(label);
  const keys = c.generateStaffKeys(random);
  return { random: random.consumedHex(), keys };
}
const staffA = staffFrom("staff-a");
const staffB = staffFrom("staff-b");
const office = staffFrom("office");
const tipsterKeys = staffFrom("tipster");
const keysJson = (s: ReturnType<typeof staffFrom>) => ({
  random: s.random,
  boxPublicKeyHex: hex(s.keys.boxPublicKey),
  boxSecretKeyHex: hex(s.keys.boxSecretKey),
  signPublicKeyHex: hex(s.keys.signPublicKey),
  signSecretKeyHex: hex(s.keys.signSecretKey),
});
const wrapRandom = recordingRandom("staff-a-wrap");
const passphrase = "巡察 correct horse battery staple";
const wrapped = await c.wrapStaffKeys(staffA.keys, passphrase, { random: wrapRandom });
write(
  "staff-keys",
  "Staff key generation and passphrase wrapping (production argon2id parameters)",
  {
    generate: [keysJson(staffA), keysJson(staffB), keysJson(office)],
    wrap: [
      {
        keysRandom: staffA.random,
        passphrase,
        params: c.STAFF_PASSPHRASE_KDF,
        random: wrapRandom.consumedHex(),
        blobHex: hex(wrapped),
      },
    ],
  },
);

// ---------------------------------------------------------------- tab-session key copies
const sessionWrapKeyHex = hex(patternBytes(32));
const sessionWrapKey = await c.importSessionWrapKey(patternBytes(32));
const sessionCopies = await Promise.all(
  ["c2Vzc2lvbi1iaW5kaW5nLTE", "另一个会话"].map(async (binding, i) => {
    const random = recordingRandom(`session-copy-${i}`);
    const keys = i === 0 ? staffA : staffB;
    const blob = await c.sealSessionCopy(keys.keys, sessionWrapKey, binding, random);
    return { keysRandom: keys.random, binding, random: random.consumedHex(), blobHex: hex(blob) };
  }),
);
write("session-copy", "Staff keys kept for a browser tab session (AES-256-GCM, WebCrypto)", {
  wrapKeyHex: sessionWrapKeyHex,
  copies: sessionCopies,
});

const approvals = [
  {
    memberId: "member-0042",
    homeDistrictId: "tianjin-beichen",
    validUntilMs: 1767225599999,
    key: staffA,
  },
  { memberId: "成员-7", homeDistrictId: "leibo", validUntilMs: 1735689600000, key: staffB },
].map(({ key, ...rest }) => {
  const approval = { ...rest, boxPublicKey: key.keys.boxPublicKey };
  return {
    approval: { ...rest, boxPublicKeyHex: hex(key.keys.boxPublicKey) },
    encodingHex: hex(c.encodeStaffKeyApproval(approval)),
    signatureHex: hex(c.signStaffKeyApproval(approval, office.keys.signSecretKey)),
  };
});
// v2 (0x63 / 0x64): the approval also names the member's Ed25519 key (signed staff messages).
const approvalsV2 = [
  {
    memberId: "member-0042",
    homeDistrictId: "tianjin-beichen",
    validUntilMs: 1767225599999,
    key: staffA,
  },
].map(({ key, ...rest }) => {
  const approval = {
    ...rest,
    boxPublicKey: key.keys.boxPublicKey,
    signPublicKey: key.keys.signPublicKey,
  };
  return {
    approval: {
      ...rest,
      boxPublicKeyHex: hex(key.keys.boxPublicKey),
      signPublicKeyHex: hex(key.keys.signPublicKey),
    },
    encodingHex: hex(c.encodeStaffKeyApproval(approval)),
    signatureHex: hex(c.signStaffKeyApproval(approval, office.keys.signSecretKey)),
  };
});
write("signature", "Office Ed25519 signatures over staff-key approvals", {
  officeRandom: office.random,
  officeSignPublicKeyHex: hex(office.keys.signPublicKey),
  approvals,
  approvalsV2,
});

// ---------------------------------------------------------------- low-order public keys
const withTopBit = (h: string) => {
  const b = c.fromHex(h);
  b[31] = b[31]! | 0x80;
  return hex(b);
};
const lowOrderKeys = c.KNOWN_LOW_ORDER_KEYS.flatMap((h) => [h, withTopBit(h)]);
const usableKeys = [
  staffA.keys.boxPublicKey,
  staffB.keys.boxPublicKey,
  tipsterKeys.keys.boxPublicKey,
  c.fromHex("09" + "00".repeat(31)), // the base point
  patternBytes(32),
  new Uint8Array(32).fill(0xff), // u = 2^255 - 1 with the top bit ignored: p + 18, i.e. 18
].map(hex);
write("public-keys", "Low-order X25519 public keys, refused everywhere (weak_key)", {
  checkScalarHex: hex(c.LOW_ORDER_CHECK_SCALAR),
  lowOrder: lowOrderKeys.map((publicKeyHex) => ({
    publicKeyHex,
    sharedSecretHex: hex(x25519(c.LOW_ORDER_CHECK_SCALAR, c.fromHex(publicKeyHex))),
  })),
  usable: usableKeys.map((publicKeyHex) => ({
    publicKeyHex,
    sharedSecretHex: hex(x25519(c.LOW_ORDER_CHECK_SCALAR, c.fromHex(publicKeyHex))),
  })),
});
for (const v of lowOrderKeys) {
  if (!/^0+$/.test(hex(x25519(c.LOW_ORDER_CHECK_SCALAR, c.fromHex(v))))) {
    throw new Error(`listed low-order key ${v} does not give the zero secret`);
  }
}

// ---------------------------------------------------------------- tips
const tipPayload = {
  v: 1,
  district: "jinnan",
  unit: "hanchengqiao-village",
  category: "corruption_near_masses",
  text: "两名村干部虚报冒领拆迁补偿款，金额超过150万元。",
  attachments: [],
};
const tipIdentity = { name: "张三", phone: "13800000000" };
function sealTipVector(label: string, withIdentity: boolean) {
  const random = recordingRandom(label);
  const sealed = c.sealTip({
    payload: tipPayload,
    identity: withIdentity ? tipIdentity : undefined,
    recipients: [
      { id: "staff-a", boxPublicKey: staffA.keys.boxPublicKey },
      { id: "staff-b", boxPublicKey: staffB.keys.boxPublicKey },
    ],
    tipsterPublicKey: tipsterKeys.keys.boxPublicKey,
    random,
  });
  const rootKey = c.openTipKeysAsStaff(
    sealed.envelopes[0]!.envelope,
    staffA.keys.boxSecretKey,
  ).root;
  const viewKey = c.hmacSha256(rootKey, utf8(c.LABEL.TIPSTER_VIEW));
  return {
    sealed,
    json: {
      name: label,
      recipients: [
        { id: "staff-a", keysRandom: staffA.random },
        { id: "staff-b", keysRandom: staffB.random },
      ],
      tipsterKeysRandom: tipsterKeys.random,
      payload: tipPayload,
      identity: withIdentity ? tipIdentity : null,
      random: random.consumedHex(),
      rootKeyHex: hex(rootKey),
      viewKeyHex: hex(viewKey),
      payloadKeyHex: hex(c.hmacSha256(viewKey, utf8(c.LABEL.PAYLOAD))),
      payloadHex: hex(sealed.payload),
      envelopes: sealed.envelopes.map((e) => ({
        recipientId: e.recipientId,
        envelopeHex: hex(e.envelope),
      })),
      tipsterEnvelopeHex: hex(sealed.tipsterEnvelope),
      identityResult: sealed.identity && {
        ciphertextHex: hex(sealed.identity.ciphertext),
        envelopes: sealed.identity.envelopes.map((e) => ({
          recipientId: e.recipientId,
          envelopeHex: hex(e.envelope),
        })),
      },
    },
  };
}
const tipWithIdentity = sealTipVector("tip-with-identity", true);
const tipPlain = sealTipVector("tip-without-identity", false);
write("tip", "Tip sealing for two staff recipients and the tipster", {
  seal: [tipWithIdentity.json, tipPlain.json],
});

// ---------------------------------------------------------------- messages
const tipKeys = c.staffTipKeysFromRoot(c.fromHex(tipPlain.json.rootKeyHex));
const staffMsgRandom = recordingRandom("staff-message");
const staffMessageBody = { text: "请问您还记得补偿款发放的具体日期吗？" };
const staffMsg = c.sealStaffMessage({
  body: staffMessageBody,
  tipsterPublicKey: tipsterKeys.keys.boxPublicKey,
  keys: tipKeys,
  random: staffMsgRandom,
});
const tipsterMsgRandom = recordingRandom("tipster-message");
const tipsterMessageBody = { text: "2019年冬天，具体日期我再确认。" };
const tipsterMsg = c.sealTipsterMessage({
  body: tipsterMessageBody,
  keys: tipKeys,
  random: tipsterMsgRandom,
});
const noteRandom = recordingRandom("internal-note");
const noteBody = { text: "Cross-check with the 2019 compensation ledger." };
const note = c.sealInternalNote({ body: noteBody, keys: tipKeys, random: noteRandom });
write("messages", "Staff → tipster messages, tipster → team messages, internal notes", {
  rootKeyHex: tipPlain.json.rootKeyHex,
  tipsterKeysRandom: tipsterKeys.random,
  staffMessage: {
    body: staffMessageBody,
    random: staffMsgRandom.consumedHex(),
    forTipsterHex: hex(staffMsg.forTipster),
    teamCopyHex: hex(staffMsg.teamCopy),
  },
  tipsterMessage: {
    body: tipsterMessageBody,
    random: tipsterMsgRandom.consumedHex(),
    hex: hex(tipsterMsg),
  },
  internalNote: { body: noteBody, random: noteRandom.consumedHex(), hex: hex(note) },
});

// ---------------------------------------------------------------- signed staff → tipster messages
const signedMessageCases = [
  {
    label: "signed-staff-message-reply",
    context: { kind: "reply" } as const,
    writtenAtMs: 1_700_000_123_456,
    body: staffMessageBody,
  },
  {
    label: "signed-staff-message-status",
    context: { kind: "status", status: "accepted" } as const,
    writtenAtMs: 1_700_000_223_456,
    body: { text: "您的举报已受理，巡察组将进一步核实。" },
  },
].map((m) => {
  const random = recordingRandom(m.label);
  const sealed = c.sealSignedStaffMessage({
    body: m.body,
    tipsterPublicKey: tipsterKeys.keys.boxPublicKey,
    keys: tipKeys,
    signer: { memberId: "member-0042", signSecretKey: staffA.keys.signSecretKey },
    context: m.context,
    writtenAtMs: m.writtenAtMs,
    random,
  });
  const statement = c.encodeStaffMessageStatement({
    binding: c.staffMessageBinding(tipKeys),
    messageId: c.fromHex(sealed.messageId),
    writtenAtMs: m.writtenAtMs,
    context: m.context,
    memberId: "member-0042",
    signPublicKey: staffA.keys.signPublicKey,
    body: m.body,
  });
  const signed = c.concatBytes(
    utf8(c.LABEL.STAFF_MESSAGE_SIGNATURE),
    new Uint8Array([0]),
    statement,
  );
  return {
    name: m.label,
    context: m.context,
    writtenAtMs: m.writtenAtMs,
    body: m.body,
    random: random.consumedHex(),
    messageId: sealed.messageId,
    statementHex: hex(statement),
    signatureHex: hex(signDetached(signed, staffA.keys.signSecretKey)),
    forTipsterHex: hex(sealed.forTipster),
    teamCopyHex: hex(sealed.teamCopy),
  };
});
write(
  "staff-message",
  "Signed staff → tipster messages (0x45): statement, Ed25519 signature, box to the tipster",
  {
    rootKeyHex: tipPlain.json.rootKeyHex,
    viewKeyHex: tipPlain.json.viewKeyHex,
    bindingHex: hex(c.staffMessageBinding(tipKeys)),
    tipsterKeysRandom: tipsterKeys.random,
    authorKeysRandom: staffA.random,
    authorMemberId: "member-0042",
    authorSignPublicKeyHex: hex(staffA.keys.signPublicKey),
    messages: signedMessageCases,
  },
);

// ---------------------------------------------------------------- attachments
const attachmentCases = [
  { label: "attachment-empty", name: "empty.txt", type: "text/plain", length: 0, full: true },
  { label: "attachment-small", name: "饭卡.jpg", type: "image/jpeg", length: 100, full: true },
  {
    label: "attachment-3-chunks",
    name: "ledger.pdf",
    type: "application/pdf",
    length: 2 * 65536 + 1000,
    full: false,
  },
].map((a) => {
  const random = recordingRandom(a.label);
  const enc = c.encryptAttachment(patternBytes(a.length), { name: a.name, type: a.type }, random);
  return {
    name: a.label,
    meta: { name: a.name, type: a.type, size: a.length },
    data: { pattern: "(i * 31 + 7) mod 256", length: a.length },
    random: random.consumedHex(),
    keyHex: hex(enc.key),
    headerHex: hex(enc.header),
    chunks: enc.chunks.map((ch) =>
      a.full
        ? { hex: hex(ch) }
        : {
            length: ch.length,
            firstBytesHex: hex(ch.subarray(0, 48)),
            sha256Hex: hex(c.sha256(ch)),
          },
    ),
  };
});
write("attachment", "Chunked attachment encryption (64 KiB chunks)", { vectors: attachmentCases });

// ---------------------------------------------------------------- proof of work
const powSecret = c.sha256(utf8("crosswatch example PoW secret"));
const powIssueRandom = recordingRandom("pow-issue");
const powNow = 1_700_000_000_000;
const challenge = c.issuePowChallenge({
  secret: powSecret,
  nowMs: powNow,
  ttlMs: 600_000,
  difficulty: 12,
  random: powIssueRandom,
});
const solution = c.solvePowSync(challenge);
const otherSecret = c.sha256(utf8("another secret"));
const verifyCases: {
  name: string;
  secretHex: string;
  nowMs: number;
  challenge: string;
  solution: string;
  result: string;
}[] = [];
const spentStore = () => {
  const s = new Set<string>();
  return { isSpent: (id: string) => s.has(id), markSpent: (id: string) => void s.add(id) };
};
for (const [name, secret, now, sol] of [
  ["valid", powSecret, powNow + 1000, solution],
  ["wrong secret", otherSecret, powNow + 1000, solution],
  ["expired", powSecret, powNow + 600_001, solution],
  ["wrong solution", powSecret, powNow + 1000, c.base64urlEncode(new Uint8Array(8).fill(0xff))],
] as const) {
  let result = "ok";
  try {
    await c.verifyPow({ challenge, solution: sol, secret, nowMs: now, store: spentStore() });
  } catch (e) {
    if (!c.isCryptoError(e)) throw e;
    result = e.code;
  }
  verifyCases.push({ name, secretHex: hex(secret), nowMs: now, challenge, solution: sol, result });
}
write("pow", "Proof-of-work challenges, solutions (first solving counter) and verification", {
  issue: [
    {
      secretHex: hex(powSecret),
      nowMs: powNow,
      ttlMs: 600_000,
      difficulty: 12,
      random: powIssueRandom.consumedHex(),
      challenge,
      challengeHex: hex(c.base64urlDecode(challenge)),
    },
  ],
  solve: [
    {
      challenge,
      solution,
      digestHex: hex(
        c.sha256(c.concatBytes(c.base64urlDecode(challenge), c.base64urlDecode(solution))),
      ),
    },
  ],
  verify: verifyCases,
});

// ---------------------------------------------------------------- findings
const receiver = staffFrom("receiver");
const findingId = "finding-7c1e2d9a";
const findingBody = {
  v: 1,
  title: "韩城桥村两名村干部虚报冒领拆迁补偿款",
  narrative: "经核查，村党支部书记与村委会主任以虚增拆迁面积方式冒领补偿款约150万元。",
  people: [
    { name: "王某某", role: "村党支部书记" },
    { name: "李某某", role: "村委会主任" },
  ],
};
const findingRandom = recordingRandom("finding");
const sealedFinding = c.sealFinding({
  findingId,
  body: findingBody,
  recipients: [
    { id: "staff-a", boxPublicKey: staffA.keys.boxPublicKey },
    { id: "staff-b", boxPublicKey: staffB.keys.boxPublicKey },
  ],
  random: findingRandom,
});
const findingSubkeyHex = (label: string) =>
  hex(
    c.hmacSha256(
      sealedFinding.keys.root,
      c.concatBytes(utf8(label), new Uint8Array([0]), utf8(findingId)),
    ),
  );
const transferRandom = recordingRandom("finding-transfer");
const receiverEnvelope = c.wrapFindingKeyForRecipient(
  sealedFinding.keys,
  receiver.keys.boxPublicKey,
  transferRandom,
);
const findingNoteBody = { kind: "outcome", outcome: "case_opened", text: "已立案审查调查。" };
const findingNoteRandom = recordingRandom("finding-note");
const findingNote = c.sealFindingNote({
  body: findingNoteBody,
  keys: sealedFinding.keys,
  random: findingNoteRandom,
});
const editedBody = { ...findingBody, narrative: findingBody.narrative + "已移交津南区纪委监委。" };
const resealRandom = recordingRandom("finding-reseal");
const resealed = c.resealFindingBody({
  body: editedBody,
  keys: sealedFinding.keys,
  random: resealRandom,
});
write(
  "finding",
  "Findings: body sealed to two readers, a receiver added on transfer, a note, an edit",
  {
    findingId,
    recipients: [
      { id: "staff-a", keysRandom: staffA.random },
      { id: "staff-b", keysRandom: staffB.random },
    ],
    body: findingBody,
    random: findingRandom.consumedHex(),
    rootKeyHex: hex(sealedFinding.keys.root),
    bodyKeyHex: findingSubkeyHex(c.LABEL.FINDING_BODY),
    noteKeyHex: findingSubkeyHex(c.LABEL.FINDING_NOTE),
    bodyHex: hex(sealedFinding.body),
    envelopes: sealedFinding.envelopes.map((e) => ({
      recipientId: e.recipientId,
      envelopeHex: hex(e.envelope),
    })),
    transfer: {
      receiverKeysRandom: receiver.random,
      random: transferRandom.consumedHex(),
      envelopeHex: hex(receiverEnvelope),
    },
    note: { body: findingNoteBody, random: findingNoteRandom.consumedHex(), hex: hex(findingNote) },
    reseal: { body: editedBody, random: resealRandom.consumedHex(), hex: hex(resealed) },
  },
);

// ---------------------------------------------------------------- signed rosters
const rosterCases: { name: string; roster: c.Roster }[] = [
  {
    name: "team stationing (北辰 team in 津南)",
    roster: {
      kind: "team",
      jurisdictionId: "tianjin",
      rosterId: "tj-r4-st-beichen",
      roundId: "tj-r4",
      serial: 1,
      issuedAtMs: 1596240000000,
      validFromMs: 1596240000000,
      validUntilMs: 1599696000000,
      districtIds: ["tj-jinnan"],
      readers: [
        {
          memberId: "staff-tj-beichen-leader",
          boxPublicKey: staffA.keys.boxPublicKey,
          homeDistrictId: "tj-beichen",
          role: "leader",
        },
        {
          memberId: "staff-tj-beichen-inspector1",
          boxPublicKey: staffB.keys.boxPublicKey,
          homeDistrictId: "tj-beichen",
          role: "member",
        },
      ],
    },
  },
  {
    name: "office fallback (two districts, reader without home district)",
    roster: {
      kind: "office",
      jurisdictionId: "tianjin",
      rosterId: "office-tianjin",
      roundId: "",
      serial: 7,
      issuedAtMs: 1596240000000,
      validFromMs: 1596240000000,
      validUntilMs: 1627776000000,
      districtIds: ["tj-jinnan", "tj-beichen"],
      readers: [
        {
          memberId: "staff-tj-office",
          boxPublicKey: office.keys.boxPublicKey,
          homeDistrictId: "-",
          role: "office",
        },
      ],
    },
  },
];
write(
  "roster",
  "Office-signed rosters: canonical bytes and Ed25519 signatures (docs/crypto.md §5.13)",
  {
    officeRandom: office.random,
    officeSignPublicKeyHex: hex(office.keys.signPublicKey),
    rosters: rosterCases.map(({ name, roster }) => {
      const bytes = c.encodeRoster(roster);
      return {
        name,
        roster: {
          ...roster,
          readers: roster.readers.map(({ boxPublicKey, ...rest }) => ({
            ...rest,
            boxPublicKeyHex: hex(boxPublicKey),
          })),
        },
        encodingHex: hex(bytes),
        signatureHex: hex(c.signRoster(bytes, office.keys.signSecretKey)),
      };
    }),
  },
);

// Sanity: every error we expect in parse cases is typed.
void codeOf;

// ---------------------------------------------------------------- worked example for docs/crypto.md
const docPath = path.join(root, "docs/crypto.md");
const START = "<!-- worked-example:start (generated by scripts/gen-crypto-vectors.ts) -->";
const END = "<!-- worked-example:end -->";
function wrapHex(h: string): string {
  return h.replace(/(.{64})(?=.)/g, "$1\n");
}
function block(title: string, h: string): string {
  return `${title} (${h.length / 2} bytes):\n\n\`\`\`\n${wrapHex(h)}\n\`\`\`\n`;
}
const pw0digest = hex(
  c.sha256(c.concatBytes(c.base64urlDecode(challenge), c.base64urlDecode(solution))),
);
function exampleMarkdown(): string {
  const d = receiptDerive[0]!;
  const t = tipPlain.json;
  const payloadBlob = c.fromHex(t.payloadHex);
  const payloadNonce = payloadBlob.subarray(1, 25);
  const plainJson = utf8(JSON.stringify(tipPayload));
  const env0 = c.fromHex(t.envelopes[0]!.envelopeHex);
  const env1 = c.fromHex(t.envelopes[1]!.envelopeHex);
  const tipsterEnv = c.fromHex(t.tipsterEnvelopeHex);
  const rnd = t.random;
  const out: string[] = [];
  out.push(START, "");
  out.push("### 1. Receipt and receipt keys\n");
  out.push(
    `Random bytes drawn (32 per draw, bytes ≥ 250 discarded): \`${receiptGenerate[0]!.random}\`\n`,
  );
  out.push(
    `Receipt: \`${d.receipt}\` (15 digits + Damm check digit \`${sampleDigits[15]}\`), receipt KDF version ${d.version}\n`,
  );
  out.push(`argon2id password = ASCII \`${sampleDigits}\` = \`${hex(utf8(sampleDigits))}\`\n`);
  out.push(
    `Site salt: \`${d.siteSaltHex}\`; m = ${d.params.memoryKiB} KiB, t = ${d.params.iterations}, p = ${d.params.parallelism}, output 64 bytes.\n`,
  );
  out.push(`- auth secret (bytes 0-31): \`${d.authSecretHex}\``);
  out.push(`- authLookupHash = hex(SHA-256(auth secret)): \`${d.authLookupHash}\``);
  out.push(`- tipster X25519 secret key (bytes 32-63): \`${d.boxSecretKeyHex}\``);
  out.push(`- tipster X25519 public key: \`${d.boxPublicKeyHex}\`\n`);
  out.push("### 2. Sealing a tip\n");
  out.push(
    "The rest of the example uses fixed key pairs from `crypto/vectors/staff-keys.json` (`tipster` uses the X25519 secret below) so that it does not depend on the receipt.\n",
  );
  out.push(
    `- staff-a X25519 public key: \`${hex(staffA.keys.boxPublicKey)}\`, fingerprint \`${c.fingerprint(staffA.keys.boxPublicKey)}\``,
  );
  out.push(`- staff-a X25519 secret key: \`${hex(staffA.keys.boxSecretKey)}\``);
  out.push(
    `- staff-b X25519 public key: \`${hex(staffB.keys.boxPublicKey)}\`, fingerprint \`${c.fingerprint(staffB.keys.boxPublicKey)}\``,
  );
  out.push(`- staff-b X25519 secret key: \`${hex(staffB.keys.boxSecretKey)}\``);
  out.push(`- tipster X25519 secret key: \`${hex(tipsterKeys.keys.boxSecretKey)}\``);
  out.push(`- tipster X25519 public key: \`${hex(tipsterKeys.keys.boxPublicKey)}\`\n`);
  out.push(`Payload JSON (UTF-8, ${plainJson.length} bytes): \`${JSON.stringify(tipPayload)}\`\n`);
  out.push(
    `Recipients, in this order: staff-a, staff-b. Random stream consumed by \`sealTip\` (448 bytes), in order: K (32), payload nonce (24), staff-a ephemeral secret (32) and nonce (24), staff-b ephemeral secret (32) and nonce (24), tipster ephemeral secret (32) and nonce (24):\n\n\`\`\`\n${wrapHex(rnd)}\n\`\`\`\n`,
  );
  out.push(`- K (root key) = \`${t.rootKeyHex}\``);
  out.push(`- T = HMAC-SHA256(K, "${c.LABEL.TIPSTER_VIEW}") = \`${t.viewKeyHex}\``);
  out.push(`- payload key = HMAC-SHA256(T, "${c.LABEL.PAYLOAD}") = \`${t.payloadKeyHex}\``);
  out.push(`- payload nonce = \`${hex(payloadNonce)}\``);
  const lengthPrefix = hex(new Uint8Array([0, 0, plainJson.length >> 8, plainJson.length & 255]));
  out.push(
    `- padded plaintext (bucket 1024) = u32 BE length \`${lengthPrefix}\` ‖ the JSON bytes ‖ ${1024 - 4 - plainJson.length} zero bytes; the JSON bytes are:\n`,
  );
  out.push("```\n" + wrapHex(hex(plainJson)) + "\n```\n");
  out.push(
    block("Payload blob = 0x21 ‖ nonce ‖ secretbox(padded, nonce, payload key)", t.payloadHex),
  );
  out.push(
    `Inside it: bytes 25-40 are the Poly1305 tag \`${hex(payloadBlob.subarray(25, 41))}\`, bytes 41-1064 the XSalsa20-encrypted padded plaintext.\n`,
  );
  out.push(
    `Envelope for staff-a: ephemeral secret key \`${rnd.slice(112, 176)}\`, ephemeral public key \`${hex(env0.subarray(1, 33))}\`, nonce \`${hex(env0.subarray(33, 57))}\`, box plaintext = 0x01 ‖ K.\n`,
  );
  const sharedA = x25519(staffA.keys.boxSecretKey, env0.subarray(1, 33));
  out.push(
    `- X25519(staff-a secret, ephemeral pk) = X25519(ephemeral secret, staff-a pk) = \`${hex(sharedA)}\``,
  );
  out.push(`- box key = HSalsa20(shared, 0^16) = \`${hex(boxKeyFromSharedSecret(sharedA))}\``);
  out.push(
    `- box output = Poly1305 tag \`${hex(env0.subarray(57, 73))}\` ‖ encrypted (01 ‖ K) \`${hex(env0.subarray(73))}\`\n`,
  );
  out.push(
    block("Staff-a envelope = 0x11 ‖ ephemeral pk ‖ nonce ‖ box", t.envelopes[0]!.envelopeHex),
  );
  out.push(
    `Envelope for staff-b (same K, its own ephemeral key and nonce): ephemeral secret key \`${rnd.slice(224, 288)}\`, ephemeral public key \`${hex(env1.subarray(1, 33))}\`, nonce \`${hex(env1.subarray(33, 57))}\`, box plaintext = 0x01 ‖ K.\n`,
  );
  const sharedB = x25519(staffB.keys.boxSecretKey, env1.subarray(1, 33));
  out.push(
    `- X25519 shared secret = \`${hex(sharedB)}\`, box key = \`${hex(boxKeyFromSharedSecret(sharedB))}\`\n`,
  );
  out.push(
    block("Staff-b envelope = 0x11 ‖ ephemeral pk ‖ nonce ‖ box", t.envelopes[1]!.envelopeHex),
  );
  out.push(
    `Tipster envelope: ephemeral secret key \`${rnd.slice(336, 400)}\`, ephemeral public key \`${hex(tipsterEnv.subarray(1, 33))}\`, nonce \`${hex(tipsterEnv.subarray(33, 57))}\`, box plaintext = 0x03 ‖ T.\n`,
  );
  const sharedT = x25519(tipsterKeys.keys.boxSecretKey, tipsterEnv.subarray(1, 33));
  out.push(
    `- X25519 shared secret = \`${hex(sharedT)}\`, box key = \`${hex(boxKeyFromSharedSecret(sharedT))}\`\n`,
  );
  out.push(block("Tipster envelope", t.tipsterEnvelopeHex));
  out.push("### 3. Opening\n");
  out.push(
    "Staff-a: box.open(envelope[57..], nonce, ephemeral pk, staff-a secret) = `01` ‖ K → derive T and the payload key → secretbox.open(payload[25..], payload[1..25], payload key) → read the u32 length, check the zero padding, parse the JSON. The tipster does the same with its envelope, whose plaintext is `03` ‖ T.\n",
  );
  const sm = signedMessageCases[1]!;
  const v2 = approvalsV2[0]!;
  const smBlob = c.fromHex(sm.forTipsterHex);
  out.push("### 4. A signed message from the team\n");
  out.push(
    `The office (Ed25519 public key \`${hex(office.keys.signPublicKey)}\`) approved staff-a as member \`${v2.approval.memberId}\` with home district \`${v2.approval.homeDistrictId}\`, valid until ${v2.approval.validUntilMs}, naming both keys (v2):\n`,
  );
  out.push(`- staff-a Ed25519 public key: \`${hex(staffA.keys.signPublicKey)}\``);
  out.push(`- approval encoding (0x63 …): \`${v2.encodingHex}\``);
  out.push(
    `- signature blob = 0x64 ‖ Ed25519(office, "${c.LABEL.STAFF_APPROVAL}" ‖ 00 ‖ encoding): \`${v2.signatureHex}\`\n`,
  );
  out.push(
    `staff-a then writes to the tipster of the tip above, with the note that comes with status \`accepted\`, at ${sm.writtenAtMs} ms. Body: \`${JSON.stringify(sm.body)}\`. Random stream (message id 16, ephemeral secret 32, nonce 24, team-copy nonce 24): \`${sm.random}\`\n`,
  );
  out.push(
    `- tip binding B = HMAC-SHA256(T, "${c.LABEL.STAFF_MESSAGE_BINDING}") = \`${hex(c.staffMessageBinding(tipKeys))}\``,
  );
  out.push(`- message id = \`${sm.messageId}\``);
  out.push(
    `- signature = Ed25519(staff-a, "${c.LABEL.STAFF_MESSAGE_SIGNATURE}" ‖ 00 ‖ statement) = \`${sm.signatureHex}\`\n`,
  );
  out.push(
    block(
      "Statement (0x46 ‖ B ‖ id ‖ time ‖ 02 ‖ len ‖ status ‖ len ‖ member ‖ key ‖ body)",
      sm.statementHex,
    ),
  );
  out.push(
    `The box plaintext is pad(statement ‖ signature) with \`MESSAGE_PADDING\` (${sm.statementHex.length / 2 + 64} bytes → bucket ${smBlob.length - 73}); the box is to the tipster key from the ephemeral key \`${sm.random.slice(32, 96)}\` (public \`${hex(smBlob.subarray(1, 33))}\`) with nonce \`${hex(smBlob.subarray(33, 57))}\`.\n`,
  );
  out.push(block("Signed message blob (0x45)", sm.forTipsterHex));
  out.push(
    "The tipster's browser opens the box with the receipt key, splits off the last 64 bytes, checks the signature under the key in the statement, recomputes B from its own T, finds the office's v2 approval naming that member and key, verifies it under the office key at the written-at time, and checks that the note appears under the status `accepted`.\n",
  );
  const chBytes = c.base64urlDecode(challenge);
  out.push("### 5. Proof of work\n");
  out.push(
    `Server secret \`${hex(powSecret)}\`, now = ${powNow}, ttl = 600000 ms, difficulty 12, id drawn from the random stream.\n`,
  );
  out.push(
    `- tag byte \`${hex(chBytes.subarray(0, 1))}\`, id \`${hex(chBytes.subarray(1, 17))}\`, difficulty \`${hex(chBytes.subarray(17, 18))}\`, expires-at \`${hex(chBytes.subarray(18, 26))}\` (= ${powNow + 600_000})`,
  );
  out.push(`- HMAC-SHA256(secret, first 26 bytes) = \`${hex(chBytes.subarray(26))}\``);
  out.push(`- challenge string (base64url of the 58 bytes): \`${challenge}\``);
  out.push(
    `- first solving counter: nonce \`${hex(c.base64urlDecode(solution))}\` = solution string \`${solution}\``,
  );
  out.push(`- SHA-256(challenge bytes ‖ nonce) = \`${pw0digest}\` (12 leading zero bits)\n`);
  out.push(END);
  return out.join("\n");
}
try {
  const doc = readFileSync(docPath, "utf8");
  const a = doc.indexOf(START);
  const b = doc.indexOf(END);
  if (a >= 0 && b > a) {
    writeFileSync(docPath, doc.slice(0, a) + exampleMarkdown() + doc.slice(b + END.length));
    console.log("updated worked example in docs/crypto.md");
  } else {
    console.log("docs/crypto.md has no worked-example markers; skipped");
  }
} catch {
  console.log("docs/crypto.md not found; skipped worked example");
}
