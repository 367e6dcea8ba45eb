/**
 * Building the rosters the office signs (DESIGN §4): who a stationing's roster lists, and who is
 * left out and why. Used where a roster is drafted for the office admin's browser to sign (plan
 * publishing, key revocation, demo seeding); the signed bytes are `encodeRoster(roster)`.
 *
 * A team roster lists the stationed team's members with a usable key, except members whose home
 * district is the target and members recused from the target district as a whole. Unit-level
 * recusals stay out of rosters: the member reads the district's other tips, and routing, inbox,
 * case page and grants drop them for that unit's tips.
 */
import type { Roster, RosterReader, RosterRole } from "../../crypto/index";

export type TeamRole = "leader" | "deputy_leader" | "liaison" | "member";

export interface RosterCandidate {
  memberId: string;
  /** null: the member has no approved, active key (left out: "no_key") */
  boxPublicKey: Uint8Array | null;
  homeDistrictId: string | null;
  role: TeamRole | "office" | "receiver";
  /** districts the member is recused from as a whole */
  recusedDistrictIds: readonly string[];
}

export type LeftOutReason = "home" | "recused" | "no_key";

export interface DraftRoster {
  /** null when nobody is left to read: the office must fix the team before publishing */
  roster: Roster | null;
  leftOut: { memberId: string; why: LeftOutReason }[];
}

const NO_HOME = "-";

function readersOf(
  candidates: readonly RosterCandidate[],
  targets: readonly string[],
): { readers: RosterReader[]; leftOut: DraftRoster["leftOut"] } {
  const readers: RosterReader[] = [];
  const leftOut: DraftRoster["leftOut"] = [];
  const seen = new Set<string>();
  for (const c of candidates) {
    if (seen.has(c.memberId)) continue;
    seen.add(c.memberId);
    if (c.homeDistrictId !== null && targets.includes(c.homeDistrictId)) {
      leftOut.push({ memberId: c.memberId, why: "home" });
    } else if (c.recusedDistrictIds.some((d) => targets.includes(d))) {
      leftOut.push({ memberId: c.memberId, why: "recused" });
    } else if (c.boxPublicKey === null) {
      leftOut.push({ memberId: c.memberId, why: "no_key" });
    } else {
      readers.push({
        memberId: c.memberId,
        boxPublicKey: c.boxPublicKey,
        homeDistrictId: c.homeDistrictId ?? NO_HOME,
        role: c.role as RosterRole,
      });
    }
  }
  return { readers, leftOut };
}

/** The roster of one stationing: its team's readers for its target district and window. */
export function teamRoster(input: {
  jurisdictionId: string;
  roundId: string;
  stationingId: string;
  targetDistrictId: string;
  startsAtMs: number;
  endsAtMs: number;
  serial: number;
  issuedAtMs: number;
  members: readonly RosterCandidate[];
}): DraftRoster {
  const { readers, leftOut } = readersOf(input.members, [input.targetDistrictId]);
  return {
    leftOut,
    roster:
      readers.length === 0
        ? null
        : {
            kind: "team",
            jurisdictionId: input.jurisdictionId,
            rosterId: input.stationingId,
            roundId: input.roundId,
            serial: input.serial,
            issuedAtMs: input.issuedAtMs,
            validFromMs: input.startsAtMs,
            validUntilMs: input.endsAtMs,
            districtIds: [input.targetDistrictId],
            readers,
          },
  };
}

/** What a roster not tied to a stationing is drafted from. */
interface StandingInput {
  jurisdictionId: string;
  districtIds: readonly string[];
  validFromMs: number;
  validUntilMs: number;
  serial: number;
  issuedAtMs: number;
  readers: readonly RosterCandidate[];
}

/** A roster not tied to a stationing: the office's fallback roster or a receiving body's. */
function standingRoster(
  kind: "office" | "receiving_body",
  rosterId: string,
  input: StandingInput,
): DraftRoster {
  const { readers, leftOut } = readersOf(input.readers, []);
  return {
    leftOut,
    roster:
      readers.length === 0 || input.districtIds.length === 0
        ? null
        : {
            kind,
            jurisdictionId: input.jurisdictionId,
            rosterId,
            roundId: "",
            serial: input.serial,
            issuedAtMs: input.issuedAtMs,
            validFromMs: input.validFromMs,
            validUntilMs: input.validUntilMs,
            districtIds: [...input.districtIds],
            readers,
          },
  };
}

/**
 * The office's own fallback roster for its districts (when no team is stationed). A reader whose
 * home is one of them stays listed: the trust policy drops them for their own district only.
 */
export function officeRoster(input: StandingInput): DraftRoster {
  return standingRoster("office", `office-${input.jurisdictionId}`, input);
}

/**
 * A receiving body's roster (issue 9 item 2): the receivers a clue handed to that body is sealed
 * to, for the districts whose clues it takes (its own, or all of the office's for a body of the
 * whole jurisdiction). Nobody is left out for their home district: a district's commission
 * receives that district's clues by design; the roster is what makes a receiver one.
 */
export function bodyRoster(
  input: Omit<StandingInput, "readers"> & {
    bodyId: string;
    receivers: readonly RosterCandidate[];
  },
): DraftRoster {
  return standingRoster("receiving_body", input.bodyId, { ...input, readers: input.receivers });
}
