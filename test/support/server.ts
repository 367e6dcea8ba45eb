/**
 * Starts the real production server (`node build/server.js`, as `npm start` does after building)
 * on a free port with a fresh temp data directory, and talks to it over HTTP.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");
/** Where `scripts/build.mjs` put the build (CROSSWATCH_BUILD_DIR, default ./build). */
export const BUILD_DIR = path.resolve(REPO_ROOT, process.env.CROSSWATCH_BUILD_DIR || "build");

export interface RunningServer {
  url: string;
  port: number;
  dataDir: string;
  dbPath: string;
  proc: ChildProcess;
  /** Everything the server printed so far (stdout and stderr). */
  output(): string;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  exited: Promise<number | null>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Environment for the child: the parent's, minus anything that would change its behaviour. */
function baseEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith("VITEST") || k === "NODE_ENV" || k === "TEST") continue;
    if (
      /^(PORT|HOST|DATA_DIR|DATABASE_PATH|CROSSWATCH_|SESSION_SECRET|POW_SECRET|RECEIPT_SALT|OFFICE_SIGNING_KEYS|PUBLIC_ORIGIN)/.test(
        k,
      )
    )
      continue;
    env[k] = v;
  }
  return env;
}

export function spawnServer(env: Record<string, string>, cwd = REPO_ROOT): ChildProcess {
  return spawn(process.execPath, [path.join(BUILD_DIR, "server.js")], {
    cwd,
    env: { ...baseEnv(), ...env } as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

export async function startServer(
  opts: { env?: Record<string, string>; dataDir?: string; timeoutMs?: number } = {},
): Promise<RunningServer> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "crosswatch-test-"));
  const dbPath = path.join(dataDir, "crosswatch.db");
  const port = await freePort();
  const proc = spawnServer({
    CROSSWATCH_MODE: "demo",
    HOST: "127.0.0.1",
    PORT: String(port),
    DATA_DIR: dataDir,
    DATABASE_PATH: dbPath,
    ...opts.env,
  });
  let out = "";
  proc.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  proc.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on("exit", (code) => resolve(code)));

  const deadline = Date.now() + (opts.timeoutMs ?? 90_000);
  while (!out.includes("listening on")) {
    if (proc.exitCode !== null) throw new Error(`server exited (${proc.exitCode}):\n${out}`);
    if (Date.now() > deadline) {
      proc.kill("SIGKILL");
      throw new Error(`server did not start in time:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dataDir,
    dbPath,
    proc,
    output: () => out,
    exited,
    async stop(signal = "SIGTERM") {
      if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
      proc.kill(signal);
      return exited;
    },
  };
}
