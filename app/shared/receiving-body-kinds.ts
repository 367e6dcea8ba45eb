/**
 * Kinds of receiving bodies — the bodies clues are transferred to (纪委监委, courts,
 * procuratorates, audit offices; issue 9 and issue 10 item 1). One list for the database column,
 * the registry's CSV import and export, and the outcomes pages' labels.
 */
export const RECEIVING_BODY_KINDS = [
  "commission",
  "court",
  "procuratorate",
  "audit_office",
  "other",
] as const;
export type ReceivingBodyKind = (typeof RECEIVING_BODY_KINDS)[number];
