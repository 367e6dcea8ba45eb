/**
 * A staff member's home organisation (the office they are sent from, e.g. 威远县委巡察办): free
 * text the inspection office types on the staff page, required to join an assistance round's
 * team, whose planner mixes teams by it (app/shared/planner/assistance.ts). One rule for the
 * form's `maxLength`, the server's check and the seed: trimmed, NFC, at most
 * HOME_ORGANISATION_MAX_LENGTH characters, no control or invisible formatting characters (a
 * bidirectional override would make one office's name read as another's on the round page).
 */
export const HOME_ORGANISATION_MAX_LENGTH = 80;

// Cc (C0/C1 controls, NUL) and Cf (bidi overrides, zero-width characters, BOM).
const FORBIDDEN = /[\p{Cc}\p{Cf}]/u;

export type HomeOrganisationCheck =
  { ok: true; value: string | null } | { ok: false; reason: "too_long" | "control" };

/** The stored form of what was typed: null for nothing, else the cleaned name or why not. */
export function checkHomeOrganisation(raw: string | null | undefined): HomeOrganisationCheck {
  const value = (raw ?? "").normalize("NFC").trim();
  if (FORBIDDEN.test(value)) return { ok: false, reason: "control" };
  if ([...value].length > HOME_ORGANISATION_MAX_LENGTH) return { ok: false, reason: "too_long" };
  return { ok: true, value: value === "" ? null : value };
}
