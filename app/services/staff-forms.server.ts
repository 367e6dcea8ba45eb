/**
 * Form and query schemas of the staff pages. They live in a .server module so zod never reaches
 * the browser bundles of those pages (route modules keep their imports in the client build).
 */
import { z } from "zod";
import { checkHomeOrganisation, HOME_ORGANISATION_MAX_LENGTH } from "../shared/home-organisation";
import { USERNAME_MAX_LENGTH } from "./auth.server";
import { INVITABLE_ROLES } from "./invitations.server";
import { PASSWORD_MAX_LENGTH } from "./passwords.server";

/**
 * A home organisation as typed (app/shared/home-organisation.ts): the cleaned name or null, else
 * an issue whose message is the reason ("too_long", "control") for the page's localized error.
 */
const HomeOrganisationField = z
  .string()
  .max(4 * HOME_ORGANISATION_MAX_LENGTH, { message: "too_long" })
  .optional()
  .transform((typed, ctx) => {
    const checked = checkHomeOrganisation(typed);
    if (checked.ok) return checked.value;
    ctx.addIssue({ code: "custom", message: checked.reason });
    return z.NEVER;
  });

/** Why the staff form's home organisation was refused, if that is why it was. */
export function homeOrganisationIssue(error: z.ZodError): "too_long" | "control" | null {
  const issue = error.issues.find((i) => i.path[0] === "homeOrganisation");
  return issue?.message === "control" || issue?.message === "too_long" ? issue.message : null;
}

const staffId = z.string().min(1).max(100);

export const AdminStaffAction = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("invite"),
    username: z
      .string()
      .trim()
      .min(2)
      .max(USERNAME_MAX_LENGTH)
      .regex(/^[A-Za-z0-9._-]+$/),
    displayName: z.string().trim().min(1).max(100),
    role: z.enum(INVITABLE_ROLES),
    homeDistrictId: z.string().max(100).optional(),
    homeOrganisation: HomeOrganisationField,
  }),
  z.object({
    intent: z.literal("set-organisation"),
    staffId,
    homeOrganisation: HomeOrganisationField,
  }),
  z.object({ intent: z.literal("disable"), staffId }),
  z.object({ intent: z.literal("reset"), staffId }),
]);

/** Free-text filter: no U+0000 (no stored text holds one, and PostgreSQL refuses it in a query). */
const filterText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((s) => !s.includes("\0"))
    .optional()
    .catch(undefined);

export const AuditQuery = z.object({
  actor: filterText(100),
  action: filterText(100),
  object: filterText(200),
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1),
});

export const LoginForm = z.object({
  username: z.string().trim().min(1).max(USERNAME_MAX_LENGTH),
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
});

export const TotpCodeForm = z.object({
  intent: z.enum(["verify", "enrol"]),
  code: z.string().trim().min(1).max(40),
});

/** Account page: new recovery codes after proving it is the member (password + TOTP code). */
export const RegenerateRecoveryForm = z.object({
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/),
});
