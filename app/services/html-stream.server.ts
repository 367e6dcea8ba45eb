/**
 * The stream between React's server renderer and the response.
 *
 * React 18.3's renderToPipeableStream writes its 2,048-byte buffer whole when a multi-byte
 * character does not fit in what is left of it, unused (zero) bytes included: CJK pages get a
 * NUL byte wherever a character crosses a buffer boundary (facebook/react#31134, fixed in React
 * 19). Browsers show it as "�" or drop it, and where it lands depends on the length of what came
 * before (a user name echoed in a form moves it). A NUL byte never belongs in our HTML (text is
 * escaped, data travels as JSON with \u0000 escapes), so the stream drops every one.
 */
import { Transform } from "node:stream";

export function nulFreeHtml(): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (chunk.indexOf(0) < 0) return done(null, chunk);
      const out = Buffer.allocUnsafe(chunk.length);
      let n = 0;
      for (const byte of chunk) if (byte !== 0) out[n++] = byte;
      done(null, out.subarray(0, n));
    },
  });
}
