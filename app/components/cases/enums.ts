/**
 * The public statuses and priorities for the browser, without importing db/schema (which would
 * pull drizzle into the client bundle). Records keyed by the schema's types keep them exhaustive:
 * a status added to the schema is a type error here until it is listed.
 */
import type { PublicStatus, Tip } from "../../../db/schema";

const STATUS_ORDER: Record<PublicStatus, true> = {
  received: true,
  accepted: true,
  under_review: true,
  transferred: true,
  rectifying: true,
  resolved: true,
  not_accepted: true,
  merged: true,
};
export const CASE_STATUSES = Object.keys(STATUS_ORDER) as PublicStatus[];

type Priority = Tip["priority"];
const PRIORITY_ORDER: Record<Priority, true> = {
  low: true,
  normal: true,
  high: true,
  urgent: true,
};
export const CASE_PRIORITIES = Object.keys(PRIORITY_ORDER) as Priority[];

/**
 * Statuses the inbox may set on many tips at once: those that need no note to the tipster (not
 * accepted and merged each deserve their own explanation, written on the case page).
 */
export const BULK_STATUSES = [
  "accepted",
  "under_review",
  "transferred",
  "rectifying",
  "resolved",
] as const satisfies readonly PublicStatus[];
export type BulkStatus = (typeof BULK_STATUSES)[number];
