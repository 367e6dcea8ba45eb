/**
 * Office approval of a member's key (issue 10 item 5): how long one approval may last. The
 * office page offers at most this and the server refuses anything longer, so a key has to be
 * looked at again at least this often.
 */
export const MAX_APPROVAL_DAYS = 400;
export const DEFAULT_APPROVAL_DAYS = 365;
export const MAX_APPROVAL_MS = MAX_APPROVAL_DAYS * 86_400_000;
