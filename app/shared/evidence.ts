/**
 * One evidence file, made ready to leave the resident's hands: its real type read from its
 * contents (file-types.ts), photo metadata stripped for that type, then encrypted
 * (crypto/attachment.ts). The four places that take evidence — the report and status pages, each
 * with and without JavaScript — all go through here, so they treat a file the same way.
 *
 * The crypto module is passed in: the browser loads it lazily, the server imports it.
 */
import type * as CryptoModule from "../../crypto/index";
import type { ReportFileRef } from "../client/report/model";
import { stripMetadata } from "../client/status/strip-metadata";
import { realType, SNIFF_BYTES } from "./file-types";

type Crypto = Pick<
  typeof CryptoModule,
  "encryptAttachment" | "base64urlEncode" | "toHex" | "sha256"
>;

export function encryptEvidence(
  c: Crypto,
  file: { name: string; type: string; data: Uint8Array },
): { ref: ReportFileRef; header: Uint8Array; chunks: Uint8Array[] } {
  const type = realType(file.data.subarray(0, SNIFF_BYTES), file.type);
  const data = stripMetadata(file.data, type);
  const enc = c.encryptAttachment(data, { name: file.name, type });
  const ref = {
    name: file.name,
    type,
    size: data.length,
    key: c.base64urlEncode(enc.key),
    ref: c.toHex(c.sha256(enc.header)),
  };
  enc.key.fill(0);
  return { ref, header: enc.header, chunks: enc.chunks };
}

/**
 * Evidence of a resolution (a refund list, a bank slip, a photo of the rectified site), encrypted
 * on the finding page and sent with the resolution in one request: at most this many files and
 * this many bytes in all, which keeps the request under the staff API's 12 MB body limit.
 */
export const MAX_RESOLUTION_FILES = 5;
export const MAX_RESOLUTION_EVIDENCE_BYTES = 6 * 1024 * 1024;
