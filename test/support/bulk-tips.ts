/**
 * Many tips at once, for inbox tests, screenshots and benchmarks: each tip is sealed with crypto/
 * to exactly the readers `routeTip` computes (as a resident's browser would) and stored with the
 * rows `acceptTip` writes, but in one transaction, with one routing decision and random receipt
 * keys (no argon2id per tip). Identical payloads are sealed once and stored again (the browser's
 * work is the same: every row's envelope and payload is opened anew).
 */
import { randomBytes } from "node:crypto";
import { generateStaffKeys, sealTip, type JsonObject, type SealedTip } from "../../crypto/index";
import { routeTip } from "../../app/services/tips.server";
import { closeDb, openDb, withTx } from "../../db/client";
import {
  tipEnvelopes,
  tipLabels,
  tips,
  tipStatusHistory,
  type PublicStatus,
  type Tip,
} from "../../db/schema";
import { serverEnv, type ServerFiles } from "./tip-fixture";

export interface BulkTip {
  text: string;
  unitId?: string | null;
  category?: "decision" | "corruption" | "livelihood";
  /** more payload fields: when, people, amountFen … */
  payload?: JsonObject;
  status?: PublicStatus;
  priority?: Tip["priority"];
  labels?: string[];
  createdAt?: Date;
}

const DAY = 86_400_000;

/** Stores the tips about `districtId` (default 津南) and returns their ids in order. */
export async function insertBulkTips(
  server: ServerFiles,
  list: BulkTip[],
  opts: { districtId?: string } = {},
): Promise<string[]> {
  const districtId = opts.districtId ?? "tj-jinnan";
  const env = serverEnv(server);
  const db = await openDb(server.database, { migrate: false });
  try {
    const route = await routeTip(db, env, districtId);
    if (!route.ok) throw new Error(`no readers for ${districtId}`);
    const recipients = route.recipients.map((r) => ({
      id: r.staffKeyId,
      boxPublicKey: new Uint8Array(r.boxPublicKey),
    }));
    const staffOf = new Map(route.recipients.map((r) => [r.staffKeyId, r.staffId]));
    const stationingId =
      route.routedTo === "team" ? (route.stationings[0]?.stationingId ?? null) : null;
    const rid = () => randomBytes(12).toString("base64url");
    const sealedCache = new Map<string, { tipster: Uint8Array; sealed: SealedTip }>();
    const sealFor = (t: BulkTip, unitId: string | null, category: string) => {
      const payload: JsonObject = {
        v: 1,
        district: districtId,
        unit: unitId,
        category,
        text: t.text,
        ...t.payload,
      };
      const cacheKey = JSON.stringify(payload);
      let hit = sealedCache.get(cacheKey);
      if (!hit) {
        const tipster = generateStaffKeys();
        hit = {
          tipster: tipster.boxPublicKey,
          sealed: sealTip({ payload, recipients, tipsterPublicKey: tipster.boxPublicKey }),
        };
        sealedCache.set(cacheKey, hit);
      }
      return hit;
    };
    const now = Date.now();
    const ids: string[] = [];
    const tipRows: (typeof tips.$inferInsert)[] = [];
    const envelopeRows: (typeof tipEnvelopes.$inferInsert)[] = [];
    const historyRows: (typeof tipStatusHistory.$inferInsert)[] = [];
    const labelRows: (typeof tipLabels.$inferInsert)[] = [];
    list.forEach((t, i) => {
      const unitId = t.unitId === undefined ? "tj-jinnan-hanchengqiao" : t.unitId;
      const category = t.category ?? "corruption";
      const { tipster, sealed } = sealFor(t, unitId, category);
      const id = `tip_${rid()}`;
      ids.push(id);
      const createdAt = t.createdAt ?? new Date(now - i * 1000);
      const status = t.status ?? "received";
      tipRows.push({
        id,
        targetDistrictId: districtId,
        unitId,
        stationingId,
        routedTo: route.routedTo,
        category,
        receiptAuthHash: randomBytes(32).toString("hex"),
        tipsterPublicKey: Buffer.from(tipster),
        tipsterEnvelope: Buffer.from(sealed.tipsterEnvelope),
        payload: Buffer.from(sealed.payload),
        onlyOutsiders: true,
        submittedVia: "js",
        status,
        priority: t.priority ?? "normal",
        acknowledgedAt: status === "received" ? null : createdAt,
        acknowledgeBy: new Date(createdAt.getTime() + 7 * DAY),
        feedbackBy: new Date(createdAt.getTime() + 91 * DAY),
        createdAt,
      });
      for (const e of sealed.envelopes) {
        envelopeRows.push({
          id: `env_${rid()}`,
          tipId: id,
          staffKeyId: e.recipientId,
          staffId: staffOf.get(e.recipientId)!,
          kind: "tip",
          envelope: Buffer.from(e.envelope),
          createdAt,
        });
      }
      historyRows.push({ id: `st_${rid()}`, tipId: id, status: "received", createdAt });
      if (status !== "received") {
        historyRows.push({ id: `st_${rid()}`, tipId: id, status, createdAt });
      }
      for (const label of new Set(t.labels ?? [])) labelRows.push({ tipId: id, label });
    });
    // Rows go in batches: one statement per row would make a 5,000-tip seed slow, one statement
    // for all of them would pass the engines' bound-parameter limits.
    const BATCH = 100;
    await withTx(db, async (tx) => {
      for (let i = 0; i < tipRows.length; i += BATCH) {
        await tx.insert(tips).values(tipRows.slice(i, i + BATCH));
      }
      for (let i = 0; i < envelopeRows.length; i += BATCH) {
        await tx.insert(tipEnvelopes).values(envelopeRows.slice(i, i + BATCH));
      }
      for (let i = 0; i < historyRows.length; i += BATCH) {
        await tx.insert(tipStatusHistory).values(historyRows.slice(i, i + BATCH));
      }
      for (let i = 0; i < labelRows.length; i += BATCH) {
        await tx.insert(tipLabels).values(labelRows.slice(i, i + BATCH));
      }
    });
    return ids;
  } finally {
    await closeDb(db);
  }
}

const UNITS = [
  "tj-jinnan-hanchengqiao",
  "tj-jinnan-nanwa",
  "tj-jinnan-shuanglin",
  "tj-jinnan-nanyuan",
  null,
];
const TEXTS: [string, "decision" | "corruption" | "livelihood"][] = [
  ["村干部虚报冒领拆迁补偿款，名单里有不在本村居住的人。", "corruption"],
  ["低保名额优亲厚友，村主任的亲戚都吃上了低保，真正困难的老人没有。", "corruption"],
  ["村里的路灯坏了三个月没人修，晚上孩子放学很危险。", "livelihood"],
  ["集体土地租金收入从来不公开，账目只有会计一个人知道。", "corruption"],
  ["办理宅基地手续时，经办人要求先送两条烟才给盖章。", "corruption"],
  ["上级要求的垃圾分类站建好后一直锁着，没有投入使用。", "decision"],
  ["社区卫生服务站经常没人值班，老人量血压要跑到镇上。", "livelihood"],
  ["村委会用集体资金买了两辆车，平时给干部家里人用。", "corruption"],
  ["拆迁安置房分配不透明，有人分到两套。", "corruption"],
  ["自来水管网改造工程拖了两年还没完工，施工方换了三次。", "decision"],
];
const STATUSES: PublicStatus[] = ["received", "received", "accepted", "under_review", "rectifying"];

/**
 * A realistic inbox of `count` tips about 津南区: varied units, categories, statuses, labels and
 * dates over the last 40 days (some overdue), and one tip of 5,000 characters. About 30 distinct
 * payloads are sealed (sealing costs ≈ 50 ms each in Node); the browser opens every row anew.
 */
export async function insertDemoInbox(server: ServerFiles, count: number): Promise<string[]> {
  const now = Date.now();
  const list: BulkTip[] = Array.from({ length: count }, (_, i) => {
    const [text, category] = TEXTS[i % TEXTS.length]!;
    const long = i === 3;
    return {
      text: long
        ? "我要反映韩城桥村拆迁补偿的问题。".repeat(312) + "以上情况属实。"
        : `${text}（${(i % 30) + 1}）`,
      category,
      unitId: UNITS[i % UNITS.length]!,
      status: STATUSES[i % STATUSES.length]!,
      priority: i % 11 === 0 ? "high" : "normal",
      labels: i % 7 === 0 ? ["拆迁"] : [],
      createdAt: new Date(now - (i % 40) * DAY - i * 60_000),
    };
  });
  return await insertBulkTips(server, list);
}
