/**
 * The whole Crosswatch domain schema, written once for both engines (drizzle; ADR 009).
 *
 * Conventions:
 * - Only the helpers of db/columns.ts build columns and tables, so SQLite and PostgreSQL get the
 *   same tables with the same TypeScript types (docs/architecture.md: adding a table or column).
 * - Reference data (jurisdictions, zones, districts, units, rounds, teams) has readable text ids
 *   (`tj-jinnan`), runtime rows get random ids from `newId()` so ids never leak counts or order.
 * - Times are UTC (`at`), shown in Asia/Shanghai by the UI.
 * - Money is integer fen (`fen`).
 * - Tip content, identity, messages, notes and attachments are ciphertext blobs; the server never
 *   holds their plaintext (see docs/crypto.md). No IPs, user agents or receipt codes anywhere.
 */
import {
  at,
  bytes,
  createdAt,
  fen,
  flag,
  id,
  index,
  int,
  primaryKey,
  seq,
  table,
  text,
  uniqueIndex,
} from "./columns";
import { RECEIVING_BODY_KINDS } from "../app/shared/receiving-body-kinds";

// ---------------------------------------------------------------- enums (shared with zod)
export const ROUND_MODES = ["zone", "rotation", "assistance"] as const;
export const UNIT_KINDS = [
  "village",
  "community",
  "organisation",
  "school",
  "court",
  "enterprise",
  "other",
] as const;
export const DISTRICT_KINDS = ["district", "county", "city", "prefecture"] as const;
export const STAFF_ROLES = [
  "inspector",
  "team_leader",
  "liaison",
  "office_admin",
  "commission_receiver",
  "auditor",
] as const;
export const TEAM_ROLES = ["leader", "deputy_leader", "liaison", "member"] as const;
export const KEY_STATUSES = ["pending", "active", "revoked"] as const;
export const CATEGORIES = ["decision", "corruption", "livelihood"] as const;
export const CORRUPTION_TYPES = [
  "abuse_of_power",
  "false_claims",
  "extortion",
  "favouritism",
  "squandering_assets",
] as const;
export const PUBLIC_STATUSES = [
  "received",
  "accepted",
  "under_review",
  "transferred",
  "rectifying",
  "resolved",
  "not_accepted",
  "merged",
] as const;
export const PRIORITIES = ["low", "normal", "high", "urgent"] as const;
export const ROUTED_TO = ["team", "office"] as const;
export const ENVELOPE_KINDS = ["tip", "identity"] as const;
export const MESSAGE_KINDS = ["to_tipster", "from_tipster", "internal_note"] as const;
export const TRANSFER_OUTCOMES = [
  "pending",
  "case_opened",
  "disciplinary_action",
  "judicial_referral",
  "closed",
] as const;
export const RESOLUTION_KINDS = [
  "refund",
  "recovery",
  "rectification",
  "sanction",
  "policy_change",
] as const;
/** Look-back verdict on a finding's rectification (`not_required` when none was needed). */
export const RECTIFICATION_VERDICTS = ["verified", "partial", "not_done", "not_required"] as const;
/** A resolution's state after the look-back. */
export const RESOLUTION_VERIFICATIONS = ["pending", "verified", "partial", "not_done"] as const;
export const FINDING_STATUSES = ["open", "transferred", "rectifying", "closed"] as const;
/** Kinds of receiving bodies: one list, shared with the registry CSV and the outcomes pages. */
export { RECEIVING_BODY_KINDS };
export const REVEAL_DECISIONS = ["pending", "approved", "rejected"] as const;

// ---------------------------------------------------------------- geography
/** A province-level or city-level authority that runs inspection rounds (has an office). */
export const jurisdictions = table("jurisdictions", {
  id: id(),
  nameZh: text("name_zh").notNull(),
  nameEn: text("name_en").notNull(),
});

export const zones = table(
  "zones",
  {
    id: id(),
    jurisdictionId: text("jurisdiction_id")
      .notNull()
      .references(() => jurisdictions.id),
    nameZh: text("name_zh").notNull(),
    nameEn: text("name_en").notNull(),
    sortOrder: int("sort_order").notNull().default(0),
  },
  (t) => [index("zones_jurisdiction_idx").on(t.jurisdictionId)],
);

export const districts = table(
  "districts",
  {
    id: id(),
    jurisdictionId: text("jurisdiction_id")
      .notNull()
      .references(() => jurisdictions.id),
    zoneId: text("zone_id").references(() => zones.id),
    kind: text("kind", { enum: DISTRICT_KINDS }).notNull().default("district"),
    nameZh: text("name_zh").notNull(),
    nameEn: text("name_en").notNull(),
    sortOrder: int("sort_order").notNull().default(0),
  },
  (t) => [
    index("districts_zone_idx").on(t.zoneId),
    index("districts_jurisdiction_idx").on(t.jurisdictionId),
  ],
);

/** 巡察对象: a village, community, organisation, school, court… inside a district. */
export const units = table(
  "units",
  {
    id: id(),
    districtId: text("district_id")
      .notNull()
      .references(() => districts.id),
    kind: text("kind", { enum: UNIT_KINDS }).notNull(),
    nameZh: text("name_zh").notNull(),
    nameEn: text("name_en").notNull(),
  },
  (t) => [index("units_district_idx").on(t.districtId)],
);

// ---------------------------------------------------------------- rounds, teams, staff
export const rounds = table(
  "rounds",
  {
    id: id(),
    jurisdictionId: text("jurisdiction_id")
      .notNull()
      .references(() => jurisdictions.id),
    nameZh: text("name_zh").notNull(),
    nameEn: text("name_en").notNull(),
    mode: text("mode", { enum: ROUND_MODES }).notNull(),
    startsAt: at("starts_at").notNull(),
    endsAt: at("ends_at").notNull(),
    /** Indicators checked in the round (Tianjin round 4: 78). */
    indicatorCount: int("indicator_count"),
    createdAt: createdAt(),
  },
  (t) => [index("rounds_jurisdiction_idx").on(t.jurisdictionId)],
);

export const teams = table(
  "teams",
  {
    id: id(),
    roundId: text("round_id")
      .notNull()
      .references(() => rounds.id),
    nameZh: text("name_zh").notNull(),
    nameEn: text("name_en").notNull(),
    /** Where the team comes from ("the 北辰 team"); null for a mixed assistance team. */
    homeDistrictId: text("home_district_id").references(() => districts.id),
    createdAt: createdAt(),
  },
  (t) => [index("teams_round_idx").on(t.roundId)],
);

export const staffUsers = table(
  "staff_users",
  {
    id: id(),
    username: text("username").notNull(),
    displayName: text("display_name").notNull(),
    jurisdictionId: text("jurisdiction_id")
      .notNull()
      .references(() => jurisdictions.id),
    /** The district the member lives and works in: never gets a key for tips about it. */
    homeDistrictId: text("home_district_id").references(() => districts.id),
    /**
     * The office the member is sent from (e.g. 威远县委巡察办); app/shared/home-organisation.ts
     * says what may be stored. Required to join an assistance round's team, whose planner mixes
     * teams by it. Not part of any signature: it decides no reader.
     */
    homeOrganisation: text("home_organisation"),
    passwordHash: text("password_hash"),
    /** TOTP secret, base32; null until enrolment completes. */
    totpSecret: text("totp_secret"),
    totpEnabledAt: at("totp_enabled_at"),
    /** Last TOTP time step used to sign in: a code (or an older one) never works twice. */
    totpLastStep: int("totp_last_step"),
    failedLogins: int("failed_logins").notNull().default(0),
    lockedUntil: at("locked_until"),
    /**
     * Generation of the account's device tokens (`cw_device`, auth.server.ts): revoking every
     * session ("sign out everywhere", a reset) raises it, so every browser's token stops counting.
     */
    deviceEpoch: int("device_epoch").notNull().default(0),
    disabledAt: at("disabled_at"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("staff_username_uq").on(t.username)],
);

export const staffRoles = table(
  "staff_roles",
  {
    staffId: text("staff_id")
      .notNull()
      .references(() => staffUsers.id, { onDelete: "cascade" }),
    role: text("role", { enum: STAFF_ROLES }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.staffId, t.role] })],
);

export const teamMembers = table(
  "team_members",
  {
    teamId: text("team_id")
      .notNull()
      .references(() => teams.id),
    staffId: text("staff_id")
      .notNull()
      .references(() => staffUsers.id),
    role: text("role", { enum: TEAM_ROLES }).notNull().default("member"),
    joinedAt: at("joined_at").notNull(),
    leftAt: at("left_at"),
  },
  (t) => [
    primaryKey({ columns: [t.teamId, t.staffId] }),
    index("team_members_staff_idx").on(t.staffId),
  ],
);

/** Explicit recusal of a member from a district (or one unit in it). */
export const recusals = table(
  "recusals",
  {
    id: id(),
    staffId: text("staff_id")
      .notNull()
      .references(() => staffUsers.id),
    districtId: text("district_id")
      .notNull()
      .references(() => districts.id),
    unitId: text("unit_id").references(() => units.id),
    reason: text("reason").notNull(),
    createdBy: text("created_by").references(() => staffUsers.id),
    createdAt: createdAt(),
    withdrawnAt: at("withdrawn_at"),
  },
  (t) => [index("recusals_district_idx").on(t.districtId, t.staffId)],
);

/** A team stationed in a target district (and some of its units) for a time window. */
export const stationings = table(
  "stationings",
  {
    id: id(),
    teamId: text("team_id")
      .notNull()
      .references(() => teams.id),
    targetDistrictId: text("target_district_id")
      .notNull()
      .references(() => districts.id),
    startsAt: at("starts_at").notNull(),
    endsAt: at("ends_at").notNull(),
    /** Who authorised the stationing, e.g. 津南区委. */
    authorisedByZh: text("authorised_by_zh"),
    authorisedByEn: text("authorised_by_en"),
    dutyPhone: text("duty_phone"),
    letterBoxZh: text("letter_box_zh"),
    letterBoxEn: text("letter_box_en"),
    createdAt: createdAt(),
  },
  (t) => [
    index("stationings_target_window_idx").on(t.targetDistrictId, t.startsAt, t.endsAt),
    index("stationings_team_idx").on(t.teamId),
  ],
);

export const stationingUnits = table(
  "stationing_units",
  {
    stationingId: text("stationing_id")
      .notNull()
      .references(() => stationings.id, { onDelete: "cascade" }),
    unitId: text("unit_id")
      .notNull()
      .references(() => units.id),
  },
  (t) => [
    primaryKey({ columns: [t.stationingId, t.unitId] }),
    index("stationing_units_unit_idx").on(t.unitId),
  ],
);

// ---------------------------------------------------------------- staff keys
/**
 * A staff member's public keys, their passphrase-wrapped secret keys, and the office's
 * signature over (staff id, box public key, home district, valid-until).
 */
export const staffKeys = table(
  "staff_keys",
  {
    id: id(),
    staffId: text("staff_id")
      .notNull()
      .references(() => staffUsers.id),
    boxPublicKey: bytes("box_public_key").notNull(),
    signPublicKey: bytes("sign_public_key"),
    /** Versioned wrapped-secret-key blob (docs/crypto.md), unlocked only in the browser. */
    wrappedSecretKey: bytes("wrapped_secret_key").notNull(),
    fingerprint: text("fingerprint").notNull(),
    status: text("status", { enum: KEY_STATUSES }).notNull().default("pending"),
    /** Home district as signed; must equal the member's home district to be used. */
    signedHomeDistrictId: text("signed_home_district_id"),
    validUntil: at("valid_until"),
    officeSignature: bytes("office_signature"),
    signedBy: text("signed_by").references(() => staffUsers.id),
    signedAt: at("signed_at"),
    revokedAt: at("revoked_at"),
    createdAt: createdAt(),
  },
  (t) => [index("staff_keys_staff_idx").on(t.staffId, t.status)],
);

// ---------------------------------------------------------------- signed rosters
export const ROSTER_KINDS = ["team", "office", "receiving_body"] as const;

/**
 * Rosters the office signed in its admin's browser (docs/crypto.md §5.13, ADR 017): the canonical
 * roster bytes and the office signature, stored as signed. Routing and the report page trust a
 * reader only from a roster that verifies under the office key compiled into the build, so the
 * other columns are an index for finding rosters, never a source of trust.
 */
export const rosters = table(
  "rosters",
  {
    id: id(),
    jurisdictionId: text("jurisdiction_id")
      .notNull()
      .references(() => jurisdictions.id),
    kind: text("kind", { enum: ROSTER_KINDS }).notNull(),
    /** Stationing id (team), fallback roster id (office) or receiving body id. */
    rosterId: text("roster_id").notNull(),
    serial: int("serial").notNull(),
    validFrom: at("valid_from").notNull(),
    validUntil: at("valid_until").notNull(),
    roster: bytes("roster").notNull(),
    signature: bytes("signature").notNull(),
    signedBy: text("signed_by").references(() => staffUsers.id),
    signedAt: at("signed_at").notNull(),
  },
  (t) => [
    uniqueIndex("rosters_serial_idx").on(t.kind, t.rosterId, t.serial),
    index("rosters_jurisdiction_window_idx").on(t.jurisdictionId, t.validUntil),
  ],
);

// ---------------------------------------------------------------- tips
export const tips = table(
  "tips",
  {
    id: id(),
    targetDistrictId: text("target_district_id")
      .notNull()
      .references(() => districts.id),
    /** Optional: the resident may leave the unit inside the encrypted payload only. */
    unitId: text("unit_id").references(() => units.id),
    /** The stationing the tip was routed through; null when routed to the office. */
    stationingId: text("stationing_id").references(() => stationings.id),
    routedTo: text("routed_to", { enum: ROUTED_TO }).notNull(),
    category: text("category", { enum: CATEGORIES }),
    corruptionType: text("corruption_type", { enum: CORRUPTION_TYPES }),
    /** SHA-256 (hex) of the receipt-derived auth secret: the only lookup key for the tipster. */
    receiptAuthHash: text("receipt_auth_hash").notNull(),
    /** The tipster's receipt-derived X25519 public key: staff replies are boxed to it. */
    tipsterPublicKey: bytes("tipster_public_key").notNull(),
    /** K wrapped to the tipster's receipt key. */
    tipsterEnvelope: bytes("tipster_envelope").notNull(),
    /** secretbox(K, padded payload), versioned. */
    payload: bytes("payload").notNull(),
    /** The optional identity block, under its own key. */
    identityPayload: bytes("identity_payload"),
    identityRevealedAt: at("identity_revealed_at"),
    /** "Only cadres from outside my district" (default true): blocks sharing with locals. */
    onlyOutsiders: flag("only_outsiders").notNull().default(true),
    submittedVia: text("submitted_via", { enum: ["js", "nojs"] }).notNull(),
    status: text("status", { enum: PUBLIC_STATUSES }).notNull().default("received"),
    priority: text("priority", { enum: PRIORITIES }).notNull().default("normal"),
    assigneeId: text("assignee_id").references(() => staffUsers.id),
    keyMinority: flag("key_minority").notNull().default(false),
    mergedIntoId: text("merged_into_id"),
    acknowledgeBy: at("acknowledge_by").notNull(),
    feedbackBy: at("feedback_by").notNull(),
    acknowledgedAt: at("acknowledged_at"),
    lastTipsterActivityAt: at("last_tipster_activity_at"),
    createdAt: createdAt(),
    updatedAt: at("updated_at"),
    /**
     * Set when retention deleted the case's contents (app/services/retention.server.ts): the
     * sealed columns are then empty and the receipt hash replaced; the clear fields stay for the
     * scorecards and the results board.
     */
    purgedAt: at("purged_at"),
  },
  (t) => [
    uniqueIndex("tips_receipt_auth_uq").on(t.receiptAuthHash),
    index("tips_district_created_idx").on(t.targetDistrictId, t.createdAt),
    index("tips_stationing_idx").on(t.stationingId, t.status),
    index("tips_assignee_idx").on(t.assigneeId),
    // The retention sweep (app/services/retention.server.ts) finds closed cases past their period
    // from this index alone: without it SQLite read every tip's status and dates through the
    // sealed payload's overflow pages (those columns come after it), 1.3 s of a blocked event
    // loop on 10,000 tips at every start (issue 13 item 7, cold start).
    index("tips_retention_idx").on(t.status, t.purgedAt, t.createdAt, t.updatedAt),
  ],
);

/** K (or the identity key) wrapped to one staff key with nacl.box from an ephemeral key. */
export const tipEnvelopes = table(
  "tip_envelopes",
  {
    id: id(),
    tipId: text("tip_id")
      .notNull()
      .references(() => tips.id, { onDelete: "cascade" }),
    staffKeyId: text("staff_key_id")
      .notNull()
      .references(() => staffKeys.id),
    staffId: text("staff_id")
      .notNull()
      .references(() => staffUsers.id),
    kind: text("kind", { enum: ENVELOPE_KINDS }).notNull().default("tip"),
    envelope: bytes("envelope").notNull(),
    /** Null when made at submission; the granting staff member for re-wraps and shares. */
    grantedBy: text("granted_by").references(() => staffUsers.id),
    shareReason: text("share_reason"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("tip_envelopes_uq").on(t.tipId, t.staffKeyId, t.kind),
    index("tip_envelopes_staff_idx").on(t.staffId, t.kind),
  ],
);

export const tipStatusHistory = table(
  "tip_status_history",
  {
    id: id(),
    tipId: text("tip_id")
      .notNull()
      .references(() => tips.id, { onDelete: "cascade" }),
    status: text("status", { enum: PUBLIC_STATUSES }).notNull(),
    actorId: text("actor_id").references(() => staffUsers.id),
    /** The message shown to the tipster with the status: boxed to the tipster key. */
    publicMessage: bytes("public_message"),
    /** The team-readable copy of publicMessage (STAFF_MESSAGE_COPY_V1). */
    publicMessageCopy: bytes("public_message_copy"),
    /** For not_accepted: reason (boxed to the tipster key like a message). */
    createdAt: createdAt(),
  },
  (t) => [index("tip_status_history_tip_idx").on(t.tipId, t.createdAt)],
);

export const tipLabels = table(
  "tip_labels",
  {
    tipId: text("tip_id")
      .notNull()
      .references(() => tips.id, { onDelete: "cascade" }),
    label: text("label").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tipId, t.label] })],
);

/** Staff ↔ tipster messages and internal notes, all ciphertext. */
export const messages = table(
  "messages",
  {
    id: id(),
    tipId: text("tip_id")
      .notNull()
      .references(() => tips.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: MESSAGE_KINDS }).notNull(),
    authorStaffId: text("author_staff_id").references(() => staffUsers.id),
    body: bytes("body").notNull(),
    /** For to_tipster: the team-readable copy (STAFF_MESSAGE_COPY_V1); body is the tipster's. */
    teamCopy: bytes("team_copy"),
    readByStaffAt: at("read_by_staff_at"),
    readByTipsterAt: at("read_by_tipster_at"),
    createdAt: createdAt(),
  },
  (t) => [index("messages_tip_idx").on(t.tipId, t.createdAt)],
);

export const attachments = table(
  "attachments",
  {
    id: id(),
    tipId: text("tip_id")
      .notNull()
      .references(() => tips.id, { onDelete: "cascade" }),
    messageId: text("message_id").references(() => messages.id, { onDelete: "cascade" }),
    /** Encrypted header (name, type, size) under the attachment key. */
    header: bytes("header").notNull(),
    chunkCount: int("chunk_count").notNull(),
    ciphertextSize: int("ciphertext_size").notNull(),
    complete: flag("complete").notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [index("attachments_tip_idx").on(t.tipId)],
);

export const attachmentChunks = table(
  "attachment_chunks",
  {
    attachmentId: text("attachment_id")
      .notNull()
      .references(() => attachments.id, { onDelete: "cascade" }),
    idx: int("idx").notNull(),
    data: bytes("data").notNull(),
  },
  (t) => [primaryKey({ columns: [t.attachmentId, t.idx] })],
);

export const identityReveals = table(
  "identity_reveals",
  {
    id: id(),
    tipId: text("tip_id")
      .notNull()
      .references(() => tips.id, { onDelete: "cascade" }),
    requestedBy: text("requested_by")
      .notNull()
      .references(() => staffUsers.id),
    reason: text("reason").notNull(),
    decision: text("decision", { enum: REVEAL_DECISIONS }).notNull().default("pending"),
    decidedBy: text("decided_by").references(() => staffUsers.id),
    decidedAt: at("decided_at"),
    createdAt: createdAt(),
  },
  (t) => [index("identity_reveals_tip_idx").on(t.tipId)],
);

// ---------------------------------------------------------------- findings and follow-up
/**
 * A 纪委监委, court or audit office that receives clues (per district, or jurisdiction-wide when
 * districtId is null). Its receivers are `commission_receiver` staff listed in
 * receiving_body_members.
 */
export const receivingBodies = table(
  "receiving_bodies",
  {
    id: id(),
    jurisdictionId: text("jurisdiction_id")
      .notNull()
      .references(() => jurisdictions.id),
    districtId: text("district_id").references(() => districts.id),
    kind: text("kind", { enum: RECEIVING_BODY_KINDS }).notNull(),
    nameZh: text("name_zh").notNull(),
    nameEn: text("name_en").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("receiving_bodies_jurisdiction_idx").on(t.jurisdictionId, t.districtId)],
);

export const receivingBodyMembers = table(
  "receiving_body_members",
  {
    bodyId: text("body_id")
      .notNull()
      .references(() => receivingBodies.id),
    staffId: text("staff_id")
      .notNull()
      .references(() => staffUsers.id),
    joinedAt: at("joined_at").notNull(),
    leftAt: at("left_at"),
  },
  (t) => [
    primaryKey({ columns: [t.bodyId, t.staffId] }),
    index("receiving_body_members_staff_idx").on(t.staffId),
  ],
);

/**
 * A problem a team found. The fields statistics count are in clear; title, narrative and named
 * people are the sealed `body` (FINDING_BODY_V1, docs/crypto.md §5.11). The id is made by the
 * browser before sealing, because it is bound into the body's key.
 */
export const findings = table(
  "findings",
  {
    id: id(),
    stationingId: text("stationing_id")
      .notNull()
      .references(() => stationings.id),
    unitId: text("unit_id").references(() => units.id),
    category: text("category", { enum: CATEGORIES }).notNull(),
    corruptionType: text("corruption_type", { enum: CORRUPTION_TYPES }),
    keyMinority: flag("key_minority").notNull().default(false),
    /** Integer fen involved (¥1.5 M = 150_000_000); null when no money is involved. */
    amountInvolvedFen: fen("amount_involved_fen"),
    /** 立行立改: fixed on the spot, on this date. */
    immediateRectification: flag("immediate_rectification").notNull().default(false),
    rectifiedAt: at("rectified_at"),
    status: text("status", { enum: FINDING_STATUSES }).notNull().default("open"),
    body: bytes("body").notNull(),
    createdBy: text("created_by").references(() => staffUsers.id),
    createdAt: createdAt(),
    updatedAt: at("updated_at"),
  },
  (t) => [index("findings_stationing_idx").on(t.stationingId, t.category)],
);

/** F (the finding key) wrapped to one reader's staff key (purpose 0x04). */
export const findingEnvelopes = table(
  "finding_envelopes",
  {
    id: id(),
    findingId: text("finding_id")
      .notNull()
      .references(() => findings.id, { onDelete: "cascade" }),
    staffKeyId: text("staff_key_id")
      .notNull()
      .references(() => staffKeys.id),
    staffId: text("staff_id")
      .notNull()
      .references(() => staffUsers.id),
    envelope: bytes("envelope").notNull(),
    grantedBy: text("granted_by").references(() => staffUsers.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("finding_envelopes_uq").on(t.findingId, t.staffKeyId),
    index("finding_envelopes_staff_idx").on(t.staffId),
  ],
);

export const findingTips = table(
  "finding_tips",
  {
    findingId: text("finding_id")
      .notNull()
      .references(() => findings.id, { onDelete: "cascade" }),
    tipId: text("tip_id")
      .notNull()
      .references(() => tips.id, { onDelete: "cascade" }),
    linkedBy: text("linked_by").references(() => staffUsers.id),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.findingId, t.tipId] }),
    index("finding_tips_tip_idx").on(t.tipId),
  ],
);

/** A finding's clue handed to a receiving body, and the outcome its receiver records. */
export const clueTransfers = table(
  "clue_transfers",
  {
    id: id(),
    findingId: text("finding_id")
      .notNull()
      .references(() => findings.id),
    receivingBodyId: text("receiving_body_id")
      .notNull()
      .references(() => receivingBodies.id),
    /** The body's file reference (e.g. 津南纪移〔2020〕12号): not sensitive. */
    reference: text("reference"),
    /** FINDING_NOTE_V1: what the team wrote to the body. */
    note: bytes("note"),
    transferredAt: at("transferred_at").notNull(),
    transferredBy: text("transferred_by").references(() => staffUsers.id),
    outcome: text("outcome", { enum: TRANSFER_OUTCOMES }).notNull().default("pending"),
    outcomeAt: at("outcome_at"),
    /** FINDING_NOTE_V1: the receiver's note on the outcome. */
    outcomeNote: bytes("outcome_note"),
    outcomeBy: text("outcome_by").references(() => staffUsers.id),
  },
  (t) => [
    index("clue_transfers_finding_idx").on(t.findingId),
    index("clue_transfers_body_idx").on(t.receivingBodyId, t.outcome),
  ],
);

export const resolutions = table(
  "resolutions",
  {
    id: id(),
    findingId: text("finding_id")
      .notNull()
      .references(() => findings.id),
    kind: text("kind", { enum: RESOLUTION_KINDS }).notNull(),
    /** Integer fen (¥277,000 = 27_700_000). */
    amountFen: fen("amount_fen"),
    beneficiaries: int("beneficiaries"),
    /** FINDING_NOTE_V1: description and the keys of the evidence files. */
    details: bytes("details").notNull(),
    resolvedAt: at("resolved_at").notNull(),
    /** Set by the look-back. */
    verification: text("verification", { enum: RESOLUTION_VERIFICATIONS })
      .notNull()
      .default("pending"),
    createdBy: text("created_by").references(() => staffUsers.id),
    createdAt: createdAt(),
  },
  (t) => [index("resolutions_finding_idx").on(t.findingId)],
);

/** Evidence files of a resolution: chunked, encrypted in the browser like tip attachments. */
export const resolutionFiles = table(
  "resolution_files",
  {
    id: id(),
    resolutionId: text("resolution_id")
      .notNull()
      .references(() => resolutions.id, { onDelete: "cascade" }),
    header: bytes("header").notNull(),
    chunkCount: int("chunk_count").notNull(),
    ciphertextSize: int("ciphertext_size").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("resolution_files_resolution_idx").on(t.resolutionId)],
);

export const resolutionFileChunks = table(
  "resolution_file_chunks",
  {
    fileId: text("file_id")
      .notNull()
      .references(() => resolutionFiles.id, { onDelete: "cascade" }),
    idx: int("idx").notNull(),
    data: bytes("data").notNull(),
  },
  (t) => [primaryKey({ columns: [t.fileId, t.idx] })],
);

/** 回头看: the office's later check of a round's findings. */
export const lookBacks = table(
  "look_backs",
  {
    id: id(),
    roundId: text("round_id")
      .notNull()
      .references(() => rounds.id),
    openedBy: text("opened_by").references(() => staffUsers.id),
    openedAt: at("opened_at").notNull(),
  },
  (t) => [uniqueIndex("look_backs_round_uq").on(t.roundId)],
);

export const lookBackChecks = table(
  "look_back_checks",
  {
    lookBackId: text("look_back_id")
      .notNull()
      .references(() => lookBacks.id, { onDelete: "cascade" }),
    findingId: text("finding_id")
      .notNull()
      .references(() => findings.id),
    problemConfirmed: flag("problem_confirmed").notNull(),
    rectification: text("rectification", { enum: RECTIFICATION_VERDICTS }).notNull(),
    /** FINDING_NOTE_V1, optional. */
    note: bytes("note"),
    checkedBy: text("checked_by").references(() => staffUsers.id),
    checkedAt: at("checked_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.lookBackId, t.findingId] })],
);

/**
 * Results approved for the public board: one row per round and district, with the exact raw
 * figures the office saw and approved (JSON of BoardFigures). Withdrawn rows stay for the record.
 */
export const resultPublications = table(
  "result_publications",
  {
    id: id(),
    roundId: text("round_id")
      .notNull()
      .references(() => rounds.id),
    districtId: text("district_id")
      .notNull()
      .references(() => districts.id),
    figures: text("figures").notNull(),
    findingCount: int("finding_count").notNull(),
    approvedBy: text("approved_by")
      .notNull()
      .references(() => staffUsers.id),
    approvedAt: at("approved_at").notNull(),
    withdrawnBy: text("withdrawn_by").references(() => staffUsers.id),
    withdrawnAt: at("withdrawn_at"),
  },
  (t) => [index("result_publications_round_idx").on(t.roundId, t.districtId)],
);

// ---------------------------------------------------------------- audit, sessions, abuse control
/** Append-only, hash-chained: hash = SHA-256(prev_hash ‖ canonical row). */
export const auditLog = table(
  "audit_log",
  {
    seq: seq("seq"),
    at: at("at").notNull(),
    actorId: text("actor_id"),
    action: text("action").notNull(),
    objectType: text("object_type").notNull(),
    objectId: text("object_id"),
    detail: text("detail"),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [index("audit_object_idx").on(t.objectType, t.objectId)],
);

export const sessions = table(
  "sessions",
  {
    /** SHA-256 of the session token; the token itself lives only in the cookie. */
    id: id(),
    staffId: text("staff_id")
      .notNull()
      .references(() => staffUsers.id, { onDelete: "cascade" }),
    secondFactorAt: at("second_factor_at"),
    createdAt: createdAt(),
    lastSeenAt: at("last_seen_at").notNull(),
    expiresAt: at("expires_at").notNull(),
    revokedAt: at("revoked_at"),
  },
  (t) => [index("sessions_staff_idx").on(t.staffId)],
);

export const invitations = table(
  "invitations",
  {
    /** SHA-256 of the one-time token. */
    id: id(),
    staffId: text("staff_id")
      .notNull()
      .references(() => staffUsers.id, { onDelete: "cascade" }),
    createdBy: text("created_by").references(() => staffUsers.id),
    expiresAt: at("expires_at").notNull(),
    usedAt: at("used_at"),
    createdAt: createdAt(),
  },
  (t) => [index("invitations_staff_idx").on(t.staffId)],
);

export const recoveryCodes = table(
  "recovery_codes",
  {
    codeHash: text("code_hash").primaryKey(),
    staffId: text("staff_id")
      .notNull()
      .references(() => staffUsers.id, { onDelete: "cascade" }),
    usedAt: at("used_at"),
  },
  (t) => [index("recovery_codes_staff_idx").on(t.staffId)],
);

/** Proof-of-work challenge ids already used; rows past expiry are pruned. */
export const spentPowTokens = table(
  "spent_pow_tokens",
  {
    id: text("id").primaryKey(),
    expiresAt: at("expires_at").notNull(),
  },
  (t) => [index("spent_pow_expiry_idx").on(t.expiresAt)],
);

// ---------------------------------------------------------------- inferred types
export type Jurisdiction = typeof jurisdictions.$inferSelect;
export type Zone = typeof zones.$inferSelect;
export type District = typeof districts.$inferSelect;
export type Unit = typeof units.$inferSelect;
export type Round = typeof rounds.$inferSelect;
export type Team = typeof teams.$inferSelect;
export type StaffUser = typeof staffUsers.$inferSelect;
export type TeamMember = typeof teamMembers.$inferSelect;
export type Recusal = typeof recusals.$inferSelect;
export type Stationing = typeof stationings.$inferSelect;
export type StaffKey = typeof staffKeys.$inferSelect;
export type RosterRow = typeof rosters.$inferSelect;
export type Tip = typeof tips.$inferSelect;
export type TipEnvelope = typeof tipEnvelopes.$inferSelect;
export type Message = typeof messages.$inferSelect;
export type Attachment = typeof attachments.$inferSelect;
export type Finding = typeof findings.$inferSelect;
export type ClueTransfer = typeof clueTransfers.$inferSelect;
export type Resolution = typeof resolutions.$inferSelect;
export type LookBack = typeof lookBacks.$inferSelect;
export type ReceivingBody = typeof receivingBodies.$inferSelect;
export type AuditRow = typeof auditLog.$inferSelect;
export type Session = typeof sessions.$inferSelect;
export type StaffRole = (typeof STAFF_ROLES)[number];
export type PublicStatus = (typeof PUBLIC_STATUSES)[number];
export type Category = (typeof CATEGORIES)[number];
export type RoundMode = (typeof ROUND_MODES)[number];
