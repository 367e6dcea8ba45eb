/**
 * argon2id with its lanes on several threads (RFC 9106 §3.4: the segments of one slice are
 * computed independently in each lane, so lanes can run in parallel between the slice
 * boundaries). The `argon2id` package computes lanes one after another on one thread; this module
 * drives the package's own compiled block function (SIMD WebAssembly, else its plain build, from
 * crypto/argon2-wasm.ts) over one *shared* WebAssembly memory, so each thread fills its own lane
 * and the threads meet at every slice boundary (Atomics). Same bytes as the package for the same
 * parameters, whatever the number of threads (test/unit/crypto/argon2-lanes.test.ts, the receipt
 * vectors in Node and in Chromium with two real workers).
 *
 * It needs `SharedArrayBuffer` (in a browser: a cross-origin isolated page, COOP + COEP) and a
 * thread per extra lane; `argon2idLanesAvailable()` says whether this realm can. Callers fall back
 * to the package (crypto/kdf.ts) when it cannot.
 *
 * Memory layout (bytes): [0, 1 KiB) zeros · per lane 5 KiB of scratch (the block function's
 * temporary block, the address block, its input, the XOR buffer, the reference indices) ·
 * 1 KiB control (barrier counter, abort flag) · the m' blocks, lane by lane.
 */
import blake2b from "argon2id/lib/blake2b.js";
import { ARGON2_PLAIN_WASM, ARGON2_SIMD_WASM } from "./argon2-wasm";
import { base64urlDecode } from "./bytes";
import type { Argon2Params } from "./kdf";

const BLOCK = 1024;
const SL = 4; // slices per pass
const TYPE_ID = 2; // argon2id
const VERSION = 0x13;
const WASM_PAGE = 65536;
/** The package's modules declare a memory of at least 1,040 pages; a smaller one cannot be imported. */
const MIN_PAGES = 1040;
const SCRATCH_PER_LANE = 5 * BLOCK;
/** How long a thread waits for the other lanes at a slice boundary before giving up. */
const BARRIER_TIMEOUT_MS = 10_000;

/** What every thread needs to fill its lane: plain values and the shared memory (postMessage-able). */
export interface Argon2LaneJob {
  readonly memory: WebAssembly.Memory;
  readonly lanes: number;
  readonly passes: number;
  /** blocks per lane (q = m' / p) */
  readonly laneLength: number;
  readonly blocksOffset: number;
  readonly controlOffset: number;
}

interface BlockFns {
  G(x: number, y: number, r: number, tmp: number): void;
  G2(x: number, y: number, r: number, tmp: number): void;
  xor(out: number, a: number, b: number): void;
  getLZ(
    out: number,
    j1j2: number,
    lane: number,
    lanes: number,
    pass: number,
    slice: number,
    index: number,
    slices: number,
    segmentLength: number,
  ): void;
}

/**
 * The package's module with its memory import marked shared (limits flag 0x01 → 0x03): the code
 * is unchanged (plain loads and stores are valid on shared memory), only the import's type.
 */
function sharedVariant(b64: string): Uint8Array {
  const b = base64urlDecode(b64);
  let p = 8;
  const leb = () => {
    let r = 0;
    let s = 0;
    let x: number;
    do {
      x = b[p++]!;
      r |= (x & 0x7f) << s;
      s += 7;
    } while (x & 0x80);
    return r >>> 0;
  };
  while (p < b.length) {
    const id = b[p++]!;
    const size = leb();
    const end = p + size;
    if (id === 2) {
      const count = leb();
      for (let i = 0; i < count; i++) {
        const moduleName = leb();
        p += moduleName;
        const fieldName = leb();
        p += fieldName;
        const kind = b[p++]!;
        if (kind === 2) {
          if (b[p] !== 0x01) throw new Error("unexpected memory limits");
          b[p] = 0x03;
          return b;
        }
        throw new Error("unexpected import");
      }
    }
    p = end;
  }
  throw new Error("no memory import");
}

let modules: Promise<WebAssembly.Module> | null = null;
function blockModule(): Promise<WebAssembly.Module> {
  modules ??= WebAssembly.compile(sharedVariant(ARGON2_SIMD_WASM) as BufferSource).catch(() =>
    WebAssembly.compile(sharedVariant(ARGON2_PLAIN_WASM) as BufferSource),
  );
  return modules;
}

async function blockFns(memory: WebAssembly.Memory): Promise<BlockFns> {
  const instance = await WebAssembly.instantiate(await blockModule(), { env: { memory } });
  return instance.exports as unknown as BlockFns;
}

/** True when this realm can share WebAssembly memory between threads. */
export function argon2idLanesAvailable(): boolean {
  try {
    if (typeof SharedArrayBuffer === "undefined" || typeof Atomics === "undefined") return false;
    const g = globalThis as { crossOriginIsolated?: boolean };
    if (g.crossOriginIsolated === false) return false;
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    return true;
  } catch {
    return false;
  }
}

function le32(buf: Uint8Array, n: number, at: number) {
  buf[at] = n & 0xff;
  buf[at + 1] = (n >>> 8) & 0xff;
  buf[at + 2] = (n >>> 16) & 0xff;
  buf[at + 3] = (n >>> 24) & 0xff;
}

function le64(buf: Uint8Array, n: number, at: number) {
  let rest = n;
  for (let i = 0; i < 8; i++) {
    buf[at + i] = rest % 256;
    rest = Math.floor(rest / 256);
  }
}

function blake(outlen: number, ...parts: Uint8Array[]): Uint8Array {
  const h = blake2b(outlen);
  for (const part of parts) h.update(part);
  const out = new Uint8Array(outlen);
  h.digest(out);
  return out;
}

/** H' (RFC 9106 §3.3): variable-length hash into `out`. */
function hPrime(out: Uint8Array, input: Uint8Array) {
  const len = new Uint8Array(4);
  le32(len, out.length, 0);
  if (out.length <= 64) {
    out.set(blake(out.length, len, input));
    return;
  }
  const r = Math.ceil(out.length / 32) - 2;
  let v = blake(64, len, input);
  out.set(v.subarray(0, 32), 0);
  for (let i = 1; i < r; i++) {
    v = blake(64, v);
    out.set(v.subarray(0, 32), i * 32);
  }
  out.set(blake(out.length - 32 * r, v), r * 32);
}

/** H0 (RFC 9106 §3.2) for argon2id with no secret and no associated data. */
function h0(password: Uint8Array, salt: Uint8Array, p: Argon2Params, tagLength: number) {
  const head = new Uint8Array(24);
  le32(head, p.parallelism, 0);
  le32(head, tagLength, 4);
  le32(head, p.memoryKiB, 8);
  le32(head, p.iterations, 12);
  le32(head, VERSION, 16);
  le32(head, TYPE_ID, 20);
  const n = (x: number) => {
    const b = new Uint8Array(4);
    le32(b, x, 0);
    return b;
  };
  return blake(64, head, n(password.length), password, n(salt.length), salt, n(0), n(0));
}

/**
 * One zeroed shared memory kept between derivations of this realm (see `argon2idPrepare`): a
 * fresh one costs its allocation and a page fault on every 4 KiB page touched during the fill,
 * ≈ 16,000 of them for 64 MiB. Every derivation leaves the memory all zeros (each lane wipes its
 * own blocks after the last slice, `argon2idFinish` the rest), so the next one may take it. It is
 * let go after `SPARE_KEEP_MS` unused, so a page that derived once does not keep 65 MiB for life.
 */
let spare: WebAssembly.Memory | null = null;
let spareTimer: ReturnType<typeof setTimeout> | null = null;
const SPARE_KEEP_MS = 60_000;

function keepSpare(memory: WebAssembly.Memory) {
  spare = memory;
  if (spareTimer !== null) clearTimeout(spareTimer);
  spareTimer = setTimeout(() => {
    spare = null;
    spareTimer = null;
  }, SPARE_KEEP_MS);
  (spareTimer as { unref?: () => void }).unref?.(); // Node: never keeps the process alive
}

function takeMemory(pages: number): WebAssembly.Memory {
  const kept = spare;
  spare = null;
  if (kept && kept.buffer.byteLength === pages * WASM_PAGE) return kept;
  return new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
}

function pagesFor(params: Argon2Params): { mPrime: number; pages: number } {
  const lanes = params.parallelism;
  const mPrime = 4 * lanes * Math.floor(params.memoryKiB / (4 * lanes));
  const blocksOffset = BLOCK + lanes * SCRATCH_PER_LANE + BLOCK;
  const pages = Math.max(MIN_PAGES, Math.ceil((blocksOffset + mPrime * BLOCK) / WASM_PAGE));
  return { mPrime, pages };
}

/**
 * Gets this realm ready for a threaded derivation with `params` before it is needed (while the
 * resident types): compiles the block function and allocates the shared memory, touching every
 * page so that the derivation itself does not fault them in. Kept as the spare for 60 s.
 */
export async function argon2idPrepare(params: Argon2Params): Promise<void> {
  await blockModule();
  const { pages } = pagesFor(params);
  const memory = takeMemory(pages);
  new Uint8Array(memory.buffer).fill(0);
  keepSpare(memory);
}

/** Gives a finished job's memory (all zeros after `argon2idFinish`) back for the next derivation. */
export function argon2idRelease(job: Argon2LaneJob): void {
  keepSpare(job.memory);
}

/**
 * Allocates the shared memory and computes every lane's first two blocks (step 3-4). The caller
 * then runs `argon2idFillLane(job, lane)` for every lane, each on its own thread (or one after
 * another slice by slice: `argon2idFillAll`), then `argon2idFinish`.
 */
export function argon2idBegin(
  password: Uint8Array,
  salt: Uint8Array,
  params: Argon2Params,
  tagLength: number,
): Argon2LaneJob {
  const lanes = params.parallelism;
  const { mPrime, pages } = pagesFor(params);
  const laneLength = mPrime / lanes;
  const controlOffset = BLOCK + lanes * SCRATCH_PER_LANE;
  const blocksOffset = controlOffset + BLOCK;
  const memory = takeMemory(pages);
  const bytes = new Uint8Array(memory.buffer);
  const seed = new Uint8Array(72);
  seed.set(h0(password, salt, params, tagLength));
  for (let lane = 0; lane < lanes; lane++) {
    le32(seed, lane, 68);
    for (let j = 0; j < 2; j++) {
      le32(seed, j, 64);
      const at = blocksOffset + (lane * laneLength + j) * BLOCK;
      hPrime(bytes.subarray(at, at + BLOCK), seed);
    }
  }
  seed.fill(0);
  return { memory, lanes, passes: params.iterations, laneLength, blocksOffset, controlOffset };
}

/** Step 5-6 for one lane, one segment (pass, slice). */
function fillSegment(
  fn: BlockFns,
  job: Argon2LaneJob,
  bytes: Uint8Array,
  lane: number,
  pass: number,
  slice: number,
) {
  const { lanes, laneLength, blocksOffset, passes } = job;
  const segmentLength = laneLength / SL;
  const scratch = BLOCK + lane * SCRATCH_PER_LANE;
  const tmp = scratch; // the block function's temporary block
  const address = scratch + BLOCK; // the current address block (pairs J1 || J2)
  const addressInput = scratch + 2 * BLOCK; // Z || counter || zeros
  const fresh = scratch + 3 * BLOCK; // G's output before the XOR in later passes
  const lz = scratch + 4 * BLOCK;
  const lzView = new Uint32Array(bytes.buffer, lz, 2);
  const zeros = 0;
  const laneStart = blocksOffset + lane * laneLength * BLOCK;
  const dataIndependent = pass === 0 && slice < 2;
  if (dataIndependent) {
    const z = bytes.subarray(addressInput, addressInput + BLOCK);
    z.fill(0);
    le64(z, pass, 0);
    le64(z, lane, 8);
    le64(z, slice, 16);
    le64(z, laneLength * lanes, 24);
    le64(z, passes, 32);
    le64(z, TYPE_ID, 40);
  }
  const first = pass === 0 && slice === 0 ? 2 : 0;
  for (let index = first; index < segmentLength; index++) {
    const j = slice * segmentLength + index;
    const prev = laneStart + (j > 0 ? j - 1 : laneLength - 1) * BLOCK;
    let j1j2 = prev;
    if (dataIndependent) {
      if (index % 128 === 0 || index === first) {
        le64(bytes, Math.floor(index / 128) + 1, addressInput + 48);
        fn.G2(zeros, addressInput, address, tmp);
      }
      j1j2 = address + (index % 128) * 8;
    }
    fn.getLZ(lz, j1j2, lane, lanes, pass, slice, index, SL, segmentLength);
    const ref = blocksOffset + (lzView[0]! * laneLength + lzView[1]!) * BLOCK;
    const cur = laneStart + j * BLOCK;
    if (pass === 0) {
      fn.G(prev, ref, cur, tmp);
    } else {
      fn.G(prev, ref, fresh, tmp);
      fn.xor(cur, fresh, cur);
    }
  }
}

/**
 * Fills one lane on this thread, waiting at every slice boundary until every lane has finished
 * the slice (Atomics.wait: a worker or Node, never a browser's main thread). Throws if another
 * thread gave up or does not arrive within 10 s.
 */
export async function argon2idFillLane(job: Argon2LaneJob, lane: number): Promise<void> {
  const fn = await blockFns(job.memory);
  const bytes = new Uint8Array(job.memory.buffer);
  const control = new Int32Array(job.memory.buffer, job.controlOffset, 2);
  try {
    for (let pass = 0; pass < job.passes; pass++) {
      for (let slice = 0; slice < SL; slice++) {
        if (Atomics.load(control, 1) !== 0) throw new Error("argon2id: another lane gave up");
        fillSegment(fn, job, bytes, lane, pass, slice);
        Atomics.add(control, 0, 1);
        Atomics.notify(control, 0);
        const target = job.lanes * (pass * SL + slice + 1);
        const deadline = Date.now() + BARRIER_TIMEOUT_MS;
        for (;;) {
          const seen = Atomics.load(control, 0);
          if (seen >= target) break;
          if (Atomics.load(control, 1) !== 0) throw new Error("argon2id: another lane gave up");
          const left = deadline - Date.now();
          if (left <= 0) throw new Error("argon2id: a lane did not arrive");
          Atomics.wait(control, 0, seen, left);
        }
      }
    }
    // Every lane has passed the last slice: only the lanes' last blocks are read from now on
    // (argon2idFinish), so each thread wipes the rest of its own lane, in parallel.
    wipeLane(job, bytes, lane);
  } catch (err) {
    Atomics.store(control, 1, 1);
    Atomics.notify(control, 0);
    throw err;
  }
}

/** Every lane on this one thread, slice by slice (the same bytes; for tests and no threads). */
export async function argon2idFillAll(job: Argon2LaneJob): Promise<void> {
  const fn = await blockFns(job.memory);
  const bytes = new Uint8Array(job.memory.buffer);
  for (let pass = 0; pass < job.passes; pass++) {
    for (let slice = 0; slice < SL; slice++) {
      for (let lane = 0; lane < job.lanes; lane++) fillSegment(fn, job, bytes, lane, pass, slice);
    }
  }
  for (let lane = 0; lane < job.lanes; lane++) wipeLane(job, bytes, lane);
}

/** Zeroes a filled lane but for its last block (which argon2idFinish reads, then zeroes). */
function wipeLane(job: Argon2LaneJob, bytes: Uint8Array, lane: number) {
  const start = job.blocksOffset + lane * job.laneLength * BLOCK;
  bytes.fill(0, start, start + (job.laneLength - 1) * BLOCK);
}

/**
 * Step 7-8: XOR of the last column, H' to the tag. The lanes' other blocks were wiped by the
 * threads that filled them (argon2idFillLane, argon2idFillAll); this zeroes the last blocks, the
 * scratch and the control words, so the whole memory is zeros again.
 */
export function argon2idFinish(job: Argon2LaneJob, tagLength: number): Uint8Array {
  const bytes = new Uint8Array(job.memory.buffer);
  const last = new Uint8Array(BLOCK);
  for (let lane = 0; lane < job.lanes; lane++) {
    const at = job.blocksOffset + (lane * job.laneLength + job.laneLength - 1) * BLOCK;
    for (let i = 0; i < BLOCK; i++) last[i] = last[i]! ^ bytes[at + i]!;
    bytes.fill(0, at, at + BLOCK);
  }
  const tag = new Uint8Array(tagLength);
  hPrime(tag, last);
  last.fill(0);
  bytes.fill(0, 0, job.blocksOffset);
  return tag;
}
