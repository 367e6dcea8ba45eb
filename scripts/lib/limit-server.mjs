// bench-limit's server: the least a submission server can do on this machine — plain node:http,
// the body read whole, one row inserted, 201 after a durable commit. No parsing, no checks, no
// routing: an upper bound for the real server, not a design for it.
//   MODE=fsync: synchronous=FULL, an fsync per commit on the event loop.
//   MODE=group: synchronous=NORMAL and one fdatasync of the WAL on the thread pool for every
//               commit since the last one (group commit, as the real server's WalSync does).
// Usage: node scripts/lib/limit-server.mjs <database file> <port>; sends "ready" over IPC.
import fs from "node:fs";
import http from "node:http";
import Database from "better-sqlite3";

const [file, port] = process.argv.slice(2);
const mode = process.env.MODE === "group" ? "group" : "fsync";
const db = new Database(file);
db.pragma("journal_mode = WAL");
db.pragma(`synchronous = ${mode === "fsync" ? "FULL" : "NORMAL"}`);
db.exec("create table if not exists t (id integer primary key, body blob not null)");
const insert = db.prepare("insert into t (body) values (?)");

let walFd = null;
let waiting = [];
let syncing = false;
function groupSync() {
  if (syncing || waiting.length === 0) return;
  syncing = true;
  const group = waiting;
  waiting = [];
  walFd ??= fs.openSync(`${file}-wal`, "r");
  fs.fdatasync(walFd, (err) => {
    syncing = false;
    for (const answer of group) answer(err);
    groupSync();
  });
}

http
  .createServer((req, res) => {
    const parts = [];
    req.on("data", (d) => parts.push(d));
    req.on("end", () => {
      const id = String(insert.run(Buffer.concat(parts)).lastInsertRowid);
      const answer = (err) => {
        const out = JSON.stringify(err ? { error: "sync" } : { id });
        res.writeHead(err ? 500 : 201, {
          "Content-Type": "application/json",
          "Content-Length": Buffer.byteLength(out),
        });
        res.end(out);
      };
      if (mode === "fsync") answer(null);
      else {
        waiting.push(answer);
        groupSync();
      }
    });
  })
  .listen(Number(port), "127.0.0.1", () => process.send?.("ready"));
