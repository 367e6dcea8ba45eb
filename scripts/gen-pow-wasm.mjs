// Regenerates crypto/pow-wasm.ts: the proof-of-work search loop (crypto/pow.ts) as SIMD
// WebAssembly, four counters at once in i32x4 lanes. The WebAssembly text is written below; wabt
// (dev dependency) assembles it. Run after changing it: `node scripts/gen-pow-wasm.mjs`.
// test/unit/crypto/pow.test.ts fails if the committed module and this text ever differ.
//
// scan(lo, hi, mask, w15) searches the low 16 bits of the counter in [lo, hi) for the second
// SHA-256 block of challenge (58 bytes) ‖ counter (8 bytes, big-endian): W0 = counter low 16 bits
// << 16 | 0x80 << 8, W1..W14 = 0, W15 = the length in bits. The page writes the midstate (the
// first block, compressed once per 65,536 counters) at offset 0. It returns the first counter
// whose state word 0 has `mask`'s bits all zero, or -1. ch = bitselect(f, g, e); maj =
// bitselect(c, b, a ^ b).
import fs from "node:fs";
import wabtInit from "wabt";

// SHA-256's round constants (FIPS 180-4 §4.2.2): the first 32 bits of the fractional parts of the
// cube roots of the first 64 primes, computed exactly here rather than copied from
// crypto/sha256.ts (this plain script cannot import TypeScript): ⌊∛(p · 2⁹⁶)⌋ mod 2³².
const icbrt = (n) => {
  let lo = 0n;
  let hi = 1n << 44n;
  while (lo < hi) {
    const mid = (lo + hi + 1n) >> 1n;
    if (mid * mid * mid <= n) lo = mid;
    else hi = mid - 1n;
  }
  return lo;
};
const primes = [];
for (let n = 2; primes.length < 64; n++) if (primes.every((p) => n % p !== 0)) primes.push(n);
const K = primes.map((p) => Number(icbrt(BigInt(p) << 96n) & 0xffffffffn));
const rotr = (x, n) =>
  `(v128.or (i32x4.shr_u ${x} (i32.const ${n})) (i32x4.shl ${x} (i32.const ${32 - n})))`;
const add = (...xs) => xs.reduce((acc, x) => `(i32x4.add ${acc} ${x})`);
const xor = (...xs) => xs.reduce((acc, x) => `(v128.xor ${acc} ${x})`);
const get = (v) => `(local.get $${v})`;
const kData = K.map((k) =>
  [0, 8, 16, 24].map((s) => "\\" + ((k >>> s) & 0xff).toString(16).padStart(2, "0")).join(""),
).join("");
function powWat() {
  return `(module
  ;; memory: 0 midstate (8 x i32) | 64 K (64 x i32) | 512 W (64 x v128, 4 counters at once)
  (memory (export "memory") 1)
  (data (i32.const 64) "${kData}")
  (func (export "scan") (param $lo i32) (param $hi i32) (param $mask i32) (param $w15 i32) (result i32)
    (local $a v128) (local $b v128) (local $c v128) (local $d v128)
    (local $e v128) (local $f v128) (local $g v128) (local $h v128)
    (local $t1 v128) (local $t2 v128) (local $x v128) (local $y v128)
    (local $i i32) (local $n i32) (local $at i32) (local $hit i32)
    ;; W1..W14 = 0, W15 = the message length in bits
    (local.set $at (i32.const 528))
    (loop $zero
      (v128.store (local.get $at) (v128.const i32x4 0 0 0 0))
      (local.set $at (i32.add (local.get $at) (i32.const 16)))
      (br_if $zero (i32.lt_u (local.get $at) (i32.const 752))))
    (v128.store (i32.const 752) (i32x4.splat (local.get $w15)))
    (local.set $n (local.get $lo))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $n) (local.get $hi)))
        ;; W0 = (counter low 16 bits) << 16 | 0x8000, for counters n .. n+3
        (v128.store (i32.const 512)
          (v128.or
            (i32x4.shl (i32x4.add (i32x4.splat (local.get $n)) (v128.const i32x4 0 1 2 3)) (i32.const 16))
            (v128.const i32x4 0x8000 0x8000 0x8000 0x8000)))
        (local.set $at (i32.const 768))
        (loop $schedule
          (local.set $x (v128.load (i32.sub (local.get $at) (i32.const 240))))
          (local.set $y (v128.load (i32.sub (local.get $at) (i32.const 32))))
          (v128.store (local.get $at)
            ${add(
              `(v128.load (i32.sub (local.get $at) (i32.const 256)))`,
              xor(rotr(get("x"), 7), rotr(get("x"), 18), `(i32x4.shr_u ${get("x")} (i32.const 3))`),
              `(v128.load (i32.sub (local.get $at) (i32.const 112)))`,
              xor(
                rotr(get("y"), 17),
                rotr(get("y"), 19),
                `(i32x4.shr_u ${get("y")} (i32.const 10))`,
              ),
            )})
          (local.set $at (i32.add (local.get $at) (i32.const 16)))
          (br_if $schedule (i32.lt_u (local.get $at) (i32.const 1536))))
        (local.set $a (v128.load32_splat (i32.const 0)))
        (local.set $b (v128.load32_splat (i32.const 4)))
        (local.set $c (v128.load32_splat (i32.const 8)))
        (local.set $d (v128.load32_splat (i32.const 12)))
        (local.set $e (v128.load32_splat (i32.const 16)))
        (local.set $f (v128.load32_splat (i32.const 20)))
        (local.set $g (v128.load32_splat (i32.const 24)))
        (local.set $h (v128.load32_splat (i32.const 28)))
        (local.set $i (i32.const 0))
        (loop $round
          (local.set $t1
            ${add(
              get("h"),
              xor(rotr(get("e"), 6), rotr(get("e"), 11), rotr(get("e"), 25)),
              `(v128.bitselect ${get("f")} ${get("g")} ${get("e")})`,
              `(v128.load32_splat (i32.add (i32.const 64) (i32.shl (local.get $i) (i32.const 2))))`,
              `(v128.load (i32.add (i32.const 512) (i32.shl (local.get $i) (i32.const 4))))`,
            )})
          (local.set $t2
            ${add(
              xor(rotr(get("a"), 2), rotr(get("a"), 13), rotr(get("a"), 22)),
              `(v128.bitselect ${get("c")} ${get("b")} (v128.xor ${get("a")} ${get("b")}))`,
            )})
          (local.set $h (local.get $g))
          (local.set $g (local.get $f))
          (local.set $f (local.get $e))
          (local.set $e (i32x4.add (local.get $d) (local.get $t1)))
          (local.set $d (local.get $c))
          (local.set $c (local.get $b))
          (local.set $b (local.get $a))
          (local.set $a (i32x4.add (local.get $t1) (local.get $t2)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $round (i32.lt_u (local.get $i) (i32.const 64))))
        ;; state word 0 = midstate word 0 + a; solved where its top bits (mask) are zero
        (local.set $x
          (i32x4.eq
            (v128.and (i32x4.add (local.get $a) (v128.load32_splat (i32.const 0))) (i32x4.splat (local.get $mask)))
            (v128.const i32x4 0 0 0 0)))
        (if (v128.any_true (local.get $x))
          (then
            (local.set $hit (i32.const -1))
            (if (i32x4.extract_lane 3 (local.get $x)) (then (local.set $hit (i32.add (local.get $n) (i32.const 3)))))
            (if (i32x4.extract_lane 2 (local.get $x)) (then (local.set $hit (i32.add (local.get $n) (i32.const 2)))))
            (if (i32x4.extract_lane 1 (local.get $x)) (then (local.set $hit (i32.add (local.get $n) (i32.const 1)))))
            (if (i32x4.extract_lane 0 (local.get $x)) (then (local.set $hit (local.get $n))))
            (if (i32.lt_u (local.get $hit) (local.get $hi)) (then (return (local.get $hit))))))
        (local.set $n (i32.add (local.get $n) (i32.const 4)))
        (br $next)))
    (i32.const -1)))
`;
}

const wabt = await wabtInit();
const mod = wabt.parseWat("pow.wat", powWat(), { simd: true });
mod.validate();
const wasm = Buffer.from(mod.toBinary({}).buffer);
const out = `// Generated by scripts/gen-pow-wasm.mjs (SIMD WebAssembly proof-of-work search, ${wasm.length} bytes).
// Do not edit: change the script and regenerate.
export const POW_SIMD_WASM =
  ${JSON.stringify(wasm.toString("base64url"))};
`;
if (process.argv.includes("--check")) {
  const current = fs.readFileSync("crypto/pow-wasm.ts", "utf8");
  if (current !== out) {
    console.error("crypto/pow-wasm.ts differs from scripts/gen-pow-wasm.mjs: regenerate it");
    process.exit(1);
  }
  console.log("crypto/pow-wasm.ts is current");
} else {
  fs.writeFileSync("crypto/pow-wasm.ts", out);
  console.log(`wrote crypto/pow-wasm.ts (${wasm.length} bytes of WebAssembly)`);
}
