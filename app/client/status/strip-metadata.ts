/**
 * Removes metadata that can identify a resident from photos before they are encrypted: for JPEG
 * the EXIF/XMP (APP1, where GPS position and camera serial live), IPTC (APP13), other
 * application segments and comments; for PNG the text, EXIF and time chunks. Image data is copied
 * unchanged. Other file types pass through as they are (the page tells the resident so).
 */

/** JPEG segments kept: APP0 (JFIF), APP2 (ICC colour profile), APP14 (Adobe colour transform). */
const KEEP_APP = new Set([0xe0, 0xe2, 0xee]);

function stripJpeg(data: Uint8Array): Uint8Array {
  if (data.length < 4 || data[0] !== 0xff || data[1] !== 0xd8) return data;
  const out: Uint8Array[] = [data.subarray(0, 2)];
  let at = 2;
  while (at + 4 <= data.length) {
    if (data[at] !== 0xff) return data; // not a segment boundary: leave the file alone
    const marker = data[at + 1]!;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0xda || marker === 0xd9) {
      out.push(data.subarray(at)); // start of scan (or end): the rest is image data
      return concat(out);
    }
    const length = (data[at + 2]! << 8) | data[at + 3]!;
    if (length < 2 || at + 2 + length > data.length) return data;
    const isApp = marker >= 0xe0 && marker <= 0xef;
    const drop = (isApp && !KEEP_APP.has(marker)) || marker === 0xfe;
    if (!drop) out.push(data.subarray(at, at + 2 + length));
    at += 2 + length;
  }
  return data;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const PNG_DROP = new Set(["tEXt", "iTXt", "zTXt", "eXIf", "tIME"]);

function stripPng(data: Uint8Array): Uint8Array {
  if (data.length < 8 || PNG_SIGNATURE.some((b, i) => data[i] !== b)) return data;
  const out: Uint8Array[] = [data.subarray(0, 8)];
  let at = 8;
  while (at + 12 <= data.length) {
    const length =
      ((data[at]! << 24) | (data[at + 1]! << 16) | (data[at + 2]! << 8) | data[at + 3]!) >>> 0;
    const end = at + 12 + length;
    if (end > data.length) return data;
    const type = String.fromCharCode(data[at + 4]!, data[at + 5]!, data[at + 6]!, data[at + 7]!);
    if (!PNG_DROP.has(type)) out.push(data.subarray(at, end));
    at = end;
    if (type === "IEND") break;
  }
  return concat(out);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function stripMetadata(data: Uint8Array, type: string): Uint8Array {
  if (type === "image/jpeg" || (data[0] === 0xff && data[1] === 0xd8)) return stripJpeg(data);
  if (type === "image/png" || data[0] === 0x89) return stripPng(data);
  return data;
}
