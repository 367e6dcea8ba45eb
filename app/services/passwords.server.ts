/**
 * Staff password hashing: argon2id with the OWASP Password Storage Cheat Sheet minimum
 * (m = 19 MiB, t = 2, p = 1), 16-byte random salt, 32-byte tag, PHC string output
 * (`$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`), so parameters travel with each hash and can
 * be raised later (`needsRehash`). The work runs in a worker thread with a bounded queue
 * (`password-hasher.server.ts`), never on the event loop.
 */
import { HasherBusyError, passwordHasher } from "./password-hasher.server";

export { HasherBusyError };

export const PASSWORD_PARAMS = {
  memorySize: 19_456, // KiB
  iterations: 2,
  parallelism: 1,
  hashLength: 32,
  saltLength: 16,
} as const;

/** Longer inputs are refused: argon2 pre-hashes them anyway, and huge bodies cost CPU. */
export const PASSWORD_MAX_LENGTH = 1024;

/** Refuse stored hashes whose parameters would make verification a denial of service. */
const MAX_VERIFY_MEMORY_KIB = 262_144;
const MAX_VERIFY_ITERATIONS = 10;
const MAX_VERIFY_PARALLELISM = 4;

const PHC = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;

/** NFC so that the same password typed by two input methods (e.g. Chinese IMEs) matches. */
function normalise(password: string): string {
  return password.normalize("NFC");
}

export async function hashPassword(password: string): Promise<string> {
  if (password.length === 0) throw new Error("password must not be empty");
  if (password.length > PASSWORD_MAX_LENGTH) throw new Error("password too long");
  const salt = new Uint8Array(PASSWORD_PARAMS.saltLength);
  crypto.getRandomValues(salt);
  const { memorySize, iterations, parallelism, hashLength } = PASSWORD_PARAMS;
  const hash = await passwordHasher.run(
    {
      op: "hash",
      password: normalise(password),
      salt,
      params: { memorySize, iterations, parallelism, hashLength },
    },
    { refuseWhenBusy: false },
  );
  return hash as string;
}

/** One verification in the pool; refused with HasherBusyError when too many are waiting. */
async function verifyInPool(hash: string, password: string): Promise<boolean> {
  try {
    return (await passwordHasher.run(
      { op: "verify", hash, password },
      { refuseWhenBusy: true },
    )) as boolean;
  } catch (err) {
    if (err instanceof HasherBusyError) throw err;
    return false;
  }
}

function parse(hash: string): { m: number; t: number; p: number } | null {
  const match = PHC.exec(hash);
  if (!match) return null;
  return { m: Number(match[1]), t: Number(match[2]), p: Number(match[3]) };
}

let dummyHash: Promise<string> | undefined;

/**
 * True when `password` matches the PHC `hash`. Malformed, non-argon2id or
 * absurd-parameter hashes are false. A null hash (unknown user, or an account still waiting
 * for its invitation) is checked against a dummy hash so the response time does not tell
 * whether the account exists. Throws HasherBusyError (and only that) when the hashing queue is
 * full: the caller answers "busy, try again" without counting a failure.
 */
export async function verifyPassword(hash: string | null, password: string): Promise<boolean> {
  if (hash === null) {
    dummyHash ??= hashPassword("crosswatch-dummy-password");
    await verifyInPool(await dummyHash, "x");
    return false;
  }
  if (password.length === 0 || password.length > PASSWORD_MAX_LENGTH) return false;
  const params = parse(hash);
  if (
    !params ||
    params.m > MAX_VERIFY_MEMORY_KIB ||
    params.t > MAX_VERIFY_ITERATIONS ||
    params.p > MAX_VERIFY_PARALLELISM
  ) {
    return false;
  }
  return verifyInPool(hash, normalise(password));
}

/** True when a stored hash was made with other parameters than today's (rehash on login). */
export function needsRehash(hash: string): boolean {
  const params = parse(hash);
  return (
    !params ||
    params.m !== PASSWORD_PARAMS.memorySize ||
    params.t !== PASSWORD_PARAMS.iterations ||
    params.p !== PASSWORD_PARAMS.parallelism
  );
}
