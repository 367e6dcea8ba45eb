// A throwaway PostgreSQL cluster for tests and benchmarks: initdb into a temporary directory,
// start it on a free loopback port, hand back its URL, and remove everything on stop.
//
// PostgreSQL refuses to run as root, so when we are root (CI, this machine) the server runs as the
// unprivileged `nobody` through runuser. Nothing is installed here: `findPgBin()` returns null when
// Debian's postgresql package is missing and callers fall back to SQLite (or .ci/run installs it).
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/** Directory holding initdb/pg_ctl of the newest installed PostgreSQL, or null. */
export function findPgBin() {
  if (process.env.CROSSWATCH_PG_BIN) return process.env.CROSSWATCH_PG_BIN;
  const root = "/usr/lib/postgresql";
  if (!fs.existsSync(root)) return null;
  const versions = fs
    .readdirSync(root)
    .filter((v) => fs.existsSync(path.join(root, v, "bin", "pg_ctl")))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(root, versions[0], "bin") : null;
}

/**
 * Path of a PostgreSQL client program (pg_dump, pg_restore, psql): from the newest installed
 * server's bin directory, else whatever `name` the PATH finds (e.g. postgresql-client alone).
 */
export function pgTool(name) {
  const bin = findPgBin();
  return bin && fs.existsSync(path.join(bin, name)) ? path.join(bin, name) : name;
}

/** A postgres:// URL with its password hidden, for messages. */
export function redactUrl(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparsable database URL)";
  }
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const asRoot = () => process.getuid?.() === 0;

/** Runs a PostgreSQL binary, as `nobody` when we are root. */
function run(bin, args, opts = {}) {
  const cmd = asRoot() ? "runuser" : bin;
  const argv = asRoot() ? ["-u", "nobody", "--", bin, ...args] : args;
  return execFileSync(cmd, argv, { stdio: ["ignore", "pipe", "pipe"], ...opts });
}

/**
 * Starts a cluster; resolves with { url, dir, port, stop() }. `fsync` stays on (the durability
 * guarantees are part of what the tests check); the cluster is small and loopback-only with trust
 * authentication, which is fine for a directory that lives as long as one test run.
 */
export async function startThrowawayCluster({ bin = findPgBin(), quiet = true } = {}) {
  if (!bin) throw new Error("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/pg_ctl)");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "crosswatch-pg-"));
  const data = path.join(dir, "data");
  if (asRoot()) execFileSync("chown", ["nobody", dir]);
  fs.chmodSync(dir, 0o700);
  run(path.join(bin, "initdb"), [
    "-D",
    data,
    "-U",
    "postgres",
    "--auth=trust",
    "--encoding=UTF8",
    // Byte-order text comparison, as SQLite compares text: the two engines sort alike.
    "--locale=C",
    "--no-instructions",
  ]);
  const port = await freePort();
  const options = [
    `-p ${port}`,
    "-c listen_addresses=127.0.0.1",
    `-c unix_socket_directories=${dir}`,
    "-c max_connections=200",
    "-c shared_buffers=64MB",
  ].join(" ");
  run(path.join(bin, "pg_ctl"), [
    "-D",
    data,
    "-o",
    options,
    "-l",
    path.join(dir, "server.log"),
    "-w",
    "-t",
    "60",
    "start",
  ]);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    spawnSync(
      asRoot() ? "runuser" : path.join(bin, "pg_ctl"),
      asRoot()
        ? ["-u", "nobody", "--", path.join(bin, "pg_ctl"), "-D", data, "-m", "immediate", "stop"]
        : ["-D", data, "-m", "immediate", "stop"],
      { stdio: "ignore" },
    );
    fs.rmSync(dir, { recursive: true, force: true });
  };
  if (!quiet) console.log(`pg: throwaway cluster on 127.0.0.1:${port} in ${dir}`);
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, dir, port, stop };
}

// `node scripts/lib/pg-throwaway.mjs` starts one and keeps it until Ctrl-C (for working by hand).
if (import.meta.url === `file://${process.argv[1]}`) {
  const cluster = await startThrowawayCluster({ quiet: false });
  console.log(`DATABASE_URL=${cluster.url}`);
  const done = () => {
    cluster.stop();
    process.exit(0);
  };
  process.on("SIGINT", done);
  process.on("SIGTERM", done);
  setInterval(() => {}, 1 << 30);
}
