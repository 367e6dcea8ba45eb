/**
 * Demo outcomes (issue 9 item 7, issue 10 item 8): receiving bodies and their receivers, the two
 * seed cases of DESIGN §2, and the Tianjin round-4 findings behind its scorecard (830 / 920 / 543
 * problems by focus, 61 immediate rectifications, key-minority share of clues above 60 %). Every
 * finding, link, transfer, outcome, message, resolution, look-back check and publication goes
 * through the services the pages and APIs use, with bodies and envelopes sealed here exactly as a
 * staff browser seals them (crypto/), to the readers the services expect.
 *
 * 韩城桥村 (津南区): three residents report; the 北辰 team links the tips to one finding (two village
 * cadres, ≈ ¥1.5 M of demolition compensation, key minority) and hands the clue to 津南区纪委监委,
 * whose receiver records "case opened", then "disciplinary action"; the tipsters get a message at
 * each step. 雷波民族中学 (assistance round): a parent reports the switched meal cards; the 内江
 * team's finding ends in a refund of ¥277,000 to 2,300 students, the look-back verifies it, and the
 * tipster reads "已退还 27.7 万元，惠及 2300 余名学生".
 *
 * Levels (CROSSWATCH_DEMO_OUTCOMES): "full" (the demo default), "cases" (bodies and the two cases
 * only: fast, for tests that need them) and "off" (tests that need neither).
 */
import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import * as c from "../crypto/index";
import type { Env } from "../app/env.server";
import { withTx, type Db } from "../db/client";
import {
  receivingBodies,
  receivingBodyMembers,
  staffKeys,
  staffRoles,
  staffUsers,
  stationingUnits,
  stationings,
} from "../db/schema";
import { acceptTip, routeTip } from "../app/services/tips.server";
import {
  createFinding,
  createFindings,
  linkTip,
  readersForStationing,
} from "../app/services/findings.server";
import { bodyReceivers } from "../app/services/finding-readers.server";
import {
  createTransfer,
  notifyTipsters,
  receiverClues,
  recordOutcome,
} from "../app/services/clues.server";
import { createResolution } from "../app/services/resolutions.server";
import {
  approvePublication,
  approvePublications,
  openLookBack,
  recordCheck,
  recordChecks,
} from "../app/services/round-outcomes.server";
import type { StaffSession } from "../app/services/sessions.server";
import {
  DEMO_BODIES,
  HANCHENGQIAO_TEAM_HOME,
  JINNAN_COMMISSION_BODY_ID,
  plannedBody,
  tianjinFindingPlan,
} from "../db/seed-data/outcomes";
import { LEIBO_SCHOOL_UNIT_ID, SICHUAN_ROUND_ID, TIANJIN_ROUND_ID } from "../db/seed-data";

export type DemoOutcomesLevel = "full" | "cases" | "off";

const DAY = 86_400_000;
const HANCHENGQIAO_UNIT_ID = "tj-jinnan-hanchengqiao";

async function actor(db: Db, staffId: string): Promise<StaffSession> {
  const staff = (await db.select().from(staffUsers).where(eq(staffUsers.id, staffId)).limit(1))[0];
  if (!staff) throw new Error(`demo outcomes: no staff ${staffId}`);
  const roles = (
    await db
      .select({ role: staffRoles.role })
      .from(staffRoles)
      .where(eq(staffRoles.staffId, staffId))
  ).map((r) => r.role);
  return { sessionId: "demo-seed", staff, roles } as unknown as StaffSession;
}

export const newFindingId = () => `fd_${randomBytes(16).toString("base64url")}`;

/** A random source that hands out `first` for its first draw, then fresh bytes. */
function firstDraw(first: Uint8Array): c.RandomSource {
  let used = false;
  return (n) => {
    if (!used && n === first.length) {
      used = true;
      return first;
    }
    return c.systemRandom(n);
  };
}

interface DemoTip {
  tipId: string;
  keys: c.StaffTipKeys;
  tipsterPublicKey: Uint8Array;
}

/** A tip sealed as the report page seals it, to whoever routing names now; we keep its K. */
async function demoTip(
  db: Db,
  env: Env,
  districtId: string,
  unitId: string,
  category: "corruption" | "livelihood",
  text: string,
  now: Date,
): Promise<DemoTip> {
  // Nobody ever holds a demo tip's receipt, so its keys need not come from one: random keys of
  // the same shape save the receipt KDF's Argon2id (seconds per tip on a loaded machine).
  const pair = c.generateStaffKeys();
  const rk = { authSecret: c.systemRandom(32), boxPublicKey: pair.boxPublicKey };
  const route = await routeTip(db, env, districtId, now);
  if (!route.ok) throw new Error(`demo outcomes: no reader for ${districtId}`);
  const root = c.systemRandom(32);
  const sealed = c.sealTip({
    payload: { v: 1, district: districtId, unit: unitId, category, text, attachments: [] },
    recipients: route.recipients.map((r) => ({ id: r.staffKeyId, boxPublicKey: r.boxPublicKey })),
    tipsterPublicKey: rk.boxPublicKey,
    random: firstDraw(root),
  });
  const result = await acceptTip(
    db,
    env,
    {
      targetDistrictId: districtId,
      unitId,
      category,
      receiptAuthHash: c.authLookupHash(rk.authSecret),
      tipsterPublicKey: rk.boxPublicKey,
      tipsterEnvelope: sealed.tipsterEnvelope,
      payload: sealed.payload,
      envelopes: sealed.envelopes.map((e) => ({ staffKeyId: e.recipientId, envelope: e.envelope })),
      identity: null,
      onlyOutsiders: true,
      submittedVia: "js",
    },
    now,
  );
  if (!result.ok) throw new Error(`demo outcomes: tip refused (${result.code})`);
  return {
    tipId: result.tipId,
    keys: c.staffTipKeysFromRoot(root),
    tipsterPublicKey: rk.boxPublicKey,
  };
}

/** The demo member's message-signing key, unwrapped with the demo key passphrase. */
async function signerOf(
  db: Db,
  staffId: string,
  passphrase: string,
): Promise<c.StaffMessageSigner> {
  const row = (
    await db
      .select({ wrapped: staffKeys.wrappedSecretKey })
      .from(staffKeys)
      .where(and(eq(staffKeys.staffId, staffId), eq(staffKeys.status, "active")))
      .limit(1)
  )[0];
  if (!row) throw new Error(`demo outcomes: ${staffId} has no active key`);
  const keys = await c.unwrapStaffKeys(new Uint8Array(row.wrapped), passphrase);
  return { memberId: staffId, signSecretKey: keys.signSecretKey };
}

/** One message per tip, signed and sealed as the case page does it (docs/crypto.md §5.7.1). */
function messagesTo(
  tips: DemoTip[],
  text: string,
  signer: c.StaffMessageSigner,
  context: c.StaffMessageContext,
  at: Date,
) {
  return tips.map((t) => {
    const m = c.sealSignedStaffMessage({
      body: { text },
      tipsterPublicKey: t.tipsterPublicKey,
      keys: t.keys,
      signer,
      context,
      writtenAtMs: at.getTime(),
    });
    return { tipId: t.tipId, forTipster: m.forTipster, teamCopy: m.teamCopy };
  });
}

function wrapFor(readers: { staffKeyId: string; boxPublicKey: Uint8Array }[], keys: c.FindingKeys) {
  return readers.map((r) => ({
    staffKeyId: r.staffKeyId,
    envelope: c.wrapFindingKeyForRecipient(keys, new Uint8Array(r.boxPublicKey)),
  }));
}

const note = (keys: c.FindingKeys, body: c.JsonObject) => c.sealFindingNote({ body, keys });

/** Registry rows: receiving bodies and their receivers (reference data, like the base seed). */
async function seedBodies(db: Db, now: Date): Promise<void> {
  await withTx(db, async (tx) => {
    for (const b of DEMO_BODIES) {
      await tx.insert(receivingBodies).values({
        id: b.id,
        jurisdictionId: b.jurisdictionId,
        districtId: b.districtId,
        kind: b.kind,
        nameZh: b.nameZh,
        nameEn: b.nameEn,
        createdAt: now,
      });
      for (const r of b.receivers) {
        const exists = await tx
          .select({ id: staffUsers.id })
          .from(staffUsers)
          .where(eq(staffUsers.id, r.id));
        if (exists.length === 0) {
          await tx.insert(staffUsers).values({
            id: r.id,
            username: r.username,
            displayName: `${b.nameZh}案件监督管理室`,
            jurisdictionId: b.jurisdictionId,
            homeDistrictId: b.districtId,
            createdAt: now,
          });
          await tx.insert(staffRoles).values({ staffId: r.id, role: "commission_receiver" });
        }
        await tx
          .insert(receivingBodyMembers)
          .values({ bodyId: b.id, staffId: r.id, joinedAt: now });
      }
    }
  });
}

async function hanchengqiao(db: Db, env: Env, now: Date, passphrase: string): Promise<void> {
  const leader = await actor(db, `staff-tj-${HANCHENGQIAO_TEAM_HOME}-leader`);
  const signer = await signerOf(db, leader.staff.id, passphrase);
  const receiver = await actor(db, "staff-tj-jinnan-commission");
  const at = (days: number) => new Date(now.getTime() + days * DAY);
  const texts = [
    "村里两名干部虚报拆迁面积，冒领补偿款，我家的补偿被压低了。",
    "韩城桥村拆迁补偿发放不公开，村干部亲属多拿了补偿。",
    "拆迁补偿账目有问题，听说有一百多万去向不明。",
  ];
  const tips: DemoTip[] = [];
  for (const [i, text] of texts.entries()) {
    tips.push(
      await demoTip(db, env, "tj-jinnan", HANCHENGQIAO_UNIT_ID, "corruption", text, at(-9 + i)),
    );
  }
  const stationingId = `tj-r4-st-${HANCHENGQIAO_TEAM_HOME}`;
  const readers = await readersForStationing(db, env, stationingId, at(-5));
  const id = newFindingId();
  const sealed = c.sealFinding({
    findingId: id,
    body: {
      v: 1,
      title: "韩城桥村两名村干部虚报冒领拆迁补偿款",
      narrative:
        "经走访群众、调阅拆迁台账，村党支部书记与村委会主任通过虚增拆迁面积、虚列被拆迁户等方式冒领补偿款约 150 万元。",
      people: [
        { name: "村党支部书记（姓名见台账）", role: "村党支部书记" },
        { name: "村委会主任（姓名见台账）", role: "村委会主任" },
      ],
    },
    recipients: readers.map((r) => ({
      id: r.staffKeyId,
      boxPublicKey: new Uint8Array(r.boxPublicKey),
    })),
  });
  await createFinding(
    db,
    env,
    leader,
    {
      id,
      stationingId,
      unitId: HANCHENGQIAO_UNIT_ID,
      category: "corruption",
      corruptionType: "false_claims",
      keyMinority: true,
      amountInvolvedFen: 150_000_000,
      immediateRectification: false,
      rectifiedAt: null,
      body: sealed.body,
      envelopes: sealed.envelopes.map((e) => ({ staffKeyId: e.recipientId, envelope: e.envelope })),
    },
    at(-5),
  );
  for (const t of tips) await linkTip(db, leader, id, t.tipId, at(-5));
  const receivers = await bodyReceivers(db, env, JINNAN_COMMISSION_BODY_ID, at(-4));
  await createTransfer(
    db,
    env,
    leader,
    id,
    {
      bodyId: JINNAN_COMMISSION_BODY_ID,
      reference: "津南巡移〔2020〕1号",
      note: note(sealed.keys, { kind: "transfer", text: "请依纪依法处理。" }),
      envelopes: wrapFor(receivers, sealed.keys),
      tipMessages: messagesTo(
        tips,
        "您反映的问题线索已移交津南区纪委监委依纪依法处理。",
        signer,
        { kind: "status", status: "transferred" },
        at(-4),
      ),
    },
    at(-4),
  );
  await stepOutcome(
    db,
    signer,
    leader,
    receiver,
    id,
    "case_opened",
    tips,
    "津南区纪委监委已对该问题立案审查调查。",
    at(-3),
  );
  await stepOutcome(
    db,
    signer,
    leader,
    receiver,
    id,
    "disciplinary_action",
    tips,
    "涉事村干部已受到党纪政务处分，违规款项正在追缴。",
    at(-1),
  );
}

async function stepOutcome(
  db: Db,
  signer: c.StaffMessageSigner,
  leader: StaffSession,
  receiver: StaffSession,
  findingId: string,
  outcome: "case_opened" | "disciplinary_action",
  tips: DemoTip[],
  text: string,
  at: Date,
): Promise<void> {
  const clue = (await receiverClues(db, receiver)).find((x) => x.findingId === findingId);
  if (!clue) throw new Error("demo outcomes: the receiver does not see the clue");
  await recordOutcome(db, receiver, clue.id, { outcome, note: null }, at);
  await notifyTipsters(
    db,
    leader,
    findingId,
    messagesTo(tips, text, signer, { kind: "reply" }, at),
    at,
  );
}

async function leiboSchool(db: Db, env: Env, now: Date, passphrase: string): Promise<void> {
  const at = (days: number) => new Date(now.getTime() + days * DAY);
  const st = (
    await db
      .select({ id: stationings.id, teamId: stationings.teamId })
      .from(stationingUnits)
      .innerJoin(stationings, eq(stationings.id, stationingUnits.stationingId))
      .where(eq(stationingUnits.unitId, LEIBO_SCHOOL_UNIT_ID))
      .limit(1)
  )[0]!;
  const n = st.teamId.replace("sc-r1-team-", "");
  const leader = await actor(db, `staff-sc-nj-t${n}-leader`);
  const signer = await signerOf(db, leader.staff.id, passphrase);
  const office = await actor(db, "staff-sc-office");
  const tip = await demoTip(
    db,
    env,
    "sc-leibo",
    LEIBO_SCHOOL_UNIT_ID,
    "livelihood",
    "学校突然更换学生饭卡，旧卡里的余额没有退，全校两千多名学生都受影响。",
    at(-8),
  );
  const readers = await readersForStationing(db, env, st.id, at(-6));
  const id = newFindingId();
  const sealed = c.sealFinding({
    findingId: id,
    body: {
      v: 1,
      title: "雷波民族中学更换饭卡后未退还学生余额",
      narrative:
        "学校于 9 月中旬更换学生饭卡，旧卡余额滞留，涉及 2300 余名学生，合计约 27.7 万元。",
      people: [{ name: "学校总务处负责人", role: "总务主任" }],
    },
    recipients: readers.map((r) => ({
      id: r.staffKeyId,
      boxPublicKey: new Uint8Array(r.boxPublicKey),
    })),
  });
  await createFinding(
    db,
    env,
    leader,
    {
      id,
      stationingId: st.id,
      unitId: LEIBO_SCHOOL_UNIT_ID,
      category: "livelihood",
      corruptionType: null,
      keyMinority: false,
      amountInvolvedFen: 27_700_000,
      immediateRectification: true,
      rectifiedAt: at(-3),
      body: sealed.body,
      envelopes: sealed.envelopes.map((e) => ({ staffKeyId: e.recipientId, envelope: e.envelope })),
    },
    at(-6),
  );
  await linkTip(db, leader, id, tip.tipId, at(-6));
  await createResolution(
    db,
    leader,
    id,
    {
      kind: "refund",
      amountFen: 27_700_000,
      beneficiaries: 2300,
      resolvedAt: at(-3),
      details: note(sealed.keys, {
        kind: "resolution",
        text: "学校已将旧饭卡余额全部退还学生本人或家长，退款清单已核对。",
        files: [],
      }),
      files: [],
      findingStatus: "closed",
      tipMessages: messagesTo(
        [tip],
        "已退还 27.7 万元，惠及 2300 余名学生。",
        signer,
        { kind: "status", status: "resolved" },
        at(-3),
      ),
    },
    at(-3),
  );
  await openLookBack(db, office, SICHUAN_ROUND_ID, at(-1));
  await recordCheck(
    db,
    office,
    SICHUAN_ROUND_ID,
    { findingId: id, problemConfirmed: true, rectification: "verified", note: null },
    at(-1),
  );
  await approvePublication(db, office, SICHUAN_ROUND_ID, "sc-leibo", at(-1));
}

/** The Tianjin round's findings (sealed in one batch) and their follow-up. */
async function tianjinRound(db: Db, env: Env, now: Date): Promise<void> {
  const at = (days: number) => new Date(now.getTime() + days * DAY);
  const plan = tianjinFindingPlan();
  const homes = [...new Set(plan.map((p) => p.home))];
  const readersOf = new Map<string, Awaited<ReturnType<typeof readersForStationing>>>();
  const leaders = new Map<string, StaffSession>();
  const receivers = new Map<string, StaffSession>();
  for (const home of homes) {
    readersOf.set(home, await readersForStationing(db, env, `tj-r4-st-${home}`, at(-7)));
    leaders.set(home, await actor(db, `staff-tj-${home}-leader`));
  }
  for (const target of new Set(plan.map((p) => p.target))) {
    const body = `tj-${target}-jw`;
    const member = (
      await db
        .select({ s: receivingBodyMembers.staffId })
        .from(receivingBodyMembers)
        .where(eq(receivingBodyMembers.bodyId, body))
        .limit(1)
    )[0]!;
    receivers.set(target, await actor(db, member.s));
  }
  const ids = plan.map(() => newFindingId());
  const sealedAll = await c.sealFindingsMany(
    plan.map((p, i) => ({
      findingId: ids[i]!,
      body: plannedBody(p, i + 1),
      recipients: readersOf.get(p.home)!.map((r) => ({
        id: r.staffKeyId,
        boxPublicKey: new Uint8Array(r.boxPublicKey),
      })),
    })),
  );
  const office = await actor(db, "staff-tj-office");
  const createdAt = (i: number) => at(-7 + (i % 6));
  await withTx(db, async (tx) => {
    // Each team leader files their team's findings (one createFindings per team and day).
    const batches = new Map<string, number[]>();
    for (const [i, p] of plan.entries()) {
      const key = `${p.home}|${createdAt(i).getTime()}`;
      batches.set(key, [...(batches.get(key) ?? []), i]);
    }
    for (const [key, indices] of batches) {
      const home = key.split("|")[0]!;
      await createFindings(
        tx,
        env,
        leaders.get(home)!,
        indices.map((i) => {
          const p = plan[i]!;
          return {
            id: ids[i]!,
            stationingId: `tj-r4-st-${p.home}`,
            unitId: null,
            category: p.category,
            corruptionType: p.corruptionType,
            keyMinority: p.keyMinority,
            amountInvolvedFen: p.money?.fen ?? null,
            immediateRectification: p.immediate,
            rectifiedAt: p.immediate ? createdAt(i) : null,
            body: sealedAll[i]!.body,
            envelopes: sealedAll[i]!.envelopes.map((e) => ({
              staffKeyId: e.recipientId,
              envelope: e.envelope,
            })),
          };
        }),
        createdAt(i0(indices)),
      );
    }
    const receiversOf = new Map<string, Awaited<ReturnType<typeof bodyReceivers>>>();
    for (const [i, p] of plan.entries()) {
      const leader = leaders.get(p.home)!;
      if (p.clue) {
        const bodyId = `tj-${p.target}-jw`;
        if (!receiversOf.has(bodyId)) {
          receiversOf.set(bodyId, await bodyReceivers(tx, env, bodyId, createdAt(i)));
        }
        const transferId = await createTransfer(
          tx,
          env,
          leader,
          ids[i]!,
          {
            bodyId,
            reference: null,
            note: null,
            envelopes: wrapFor(receiversOf.get(bodyId)!, sealedAll[i]!.keys),
            tipMessages: [],
            allowNoReceivers: true,
          },
          createdAt(i),
        );
        if (p.clue !== "pending") {
          await recordOutcome(
            tx,
            receivers.get(p.target)!,
            transferId,
            { outcome: p.clue, note: null },
            at(-1),
          );
        }
      }
      if (p.money) {
        await createResolution(
          tx,
          leader,
          ids[i]!,
          {
            kind: p.money.kind,
            amountFen: p.money.fen,
            beneficiaries: p.money.people,
            resolvedAt: at(-2),
            details: note(sealedAll[i]!.keys, {
              kind: "resolution",
              text: "款项已退还/追缴到位。",
              files: [],
            }),
            files: [],
            findingStatus: "closed",
            tipMessages: [],
          },
          at(-2),
        );
      }
    }
    await openLookBack(tx, office, TIANJIN_ROUND_ID, at(-1));
    // The look-back checks every tenth finding.
    await recordChecks(
      tx,
      office,
      TIANJIN_ROUND_ID,
      plan.flatMap((p, i) =>
        i % 10 !== 0
          ? []
          : [
              {
                findingId: ids[i]!,
                problemConfirmed: i % 150 !== 0,
                rectification: p.clue
                  ? ("not_required" as const)
                  : i % 200 === 0
                    ? ("partial" as const)
                    : ("verified" as const),
                note: null,
              },
            ],
      ),
      at(-1),
    );
    await approvePublications(
      tx,
      office,
      TIANJIN_ROUND_ID,
      homes.map((home) => `tj-${plan.find((p) => p.home === home)!.target}`),
      at(0),
    );
  });
}

const i0 = (indices: number[]) => indices[0]!;

/**
 * `keyPassphrase`: the demo key passphrase (the team leaders sign their messages to tipsters);
 * `signBodyRosters`: the office signs the new bodies' rosters (their receivers get clues only
 * through a signed roster).
 */
export async function seedDemoOutcomes(
  db: Db,
  env: Env,
  level: DemoOutcomesLevel,
  keyPassphrase: string,
  signBodyRosters: () => Promise<void>,
  now = new Date(),
) {
  if (level === "off") return;
  const seeded = await db.select({ id: receivingBodies.id }).from(receivingBodies).limit(1);
  if (seeded.length > 0) return;
  await seedBodies(db, now);
  await signBodyRosters();
  await hanchengqiao(db, env, now, keyPassphrase);
  await leiboSchool(db, env, now, keyPassphrase);
  if (level === "full") await tianjinRound(db, env, now);
}
