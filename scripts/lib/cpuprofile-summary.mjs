/**
 * Where a V8 CPU profile (`node --cpu-prof`, e.g. bench-server with BENCH_PROFILE_DIR) spent its
 * time: self time by package and by function, and inclusive time by function.
 *
 *   node scripts/lib/cpuprofile-summary.mjs PROFILE [FROM_US TO_US] [--top N]
 *
 * FROM_US / TO_US cut the profile to a window on the monotonic clock in µs (bench-server prints
 * `mark <phase> <µs>` lines at its phase boundaries when profiling).
 */
import fs from "node:fs";

const args = process.argv.slice(2);
const topAt = args.indexOf("--top");
const top = topAt >= 0 ? Number(args.splice(topAt, 2)[1]) : 40;
const [file, fromArg, toArg] = args;
if (!file) {
  console.error("usage: cpuprofile-summary.mjs PROFILE [FROM_US TO_US] [--top N]");
  process.exit(2);
}
const from = fromArg ? Number(fromArg) : -Infinity;
const to = toArg ? Number(toArg) : Infinity;

const profile = JSON.parse(fs.readFileSync(file, "utf8"));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Time per sampled node inside the window.
const timeOf = new Map();
let t = profile.startTime;
let total = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const dt = profile.timeDeltas[i] ?? 0;
  t += dt;
  if (t < from || t > to) continue;
  timeOf.set(profile.samples[i], (timeOf.get(profile.samples[i]) ?? 0) + dt);
  total += dt;
}

const label = (cf) =>
  `${cf.functionName || "(anonymous)"} ${cf.url.split("/").slice(-2).join("/")}:${cf.lineNumber + 1}`;
const pkg = (cf) => {
  if (!cf.url) return cf.functionName;
  const nm = cf.url.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const rest = cf.url.slice(nm + 13).split("/");
    return rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (cf.url.startsWith("node:")) return cf.url.split("/").slice(0, 2).join("/");
  return cf.url.split("/").slice(-2).join("/");
};
const add = (m, k, v) => m.set(k, (m.get(k) ?? 0) + v);

const selfPkg = new Map();
const selfFn = new Map();
const inclusive = new Map();
for (const [id, dt] of timeOf) {
  const cf = nodes.get(id).callFrame;
  add(selfPkg, pkg(cf), dt);
  add(selfFn, label(cf), dt);
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const k = label(nodes.get(cur).callFrame);
    if (seen.has(k)) continue;
    seen.add(k);
    add(inclusive, k, dt);
  }
}

const print = (title, m) => {
  console.log(`\n== ${title}`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(
      `${(v / 1000).toFixed(0).padStart(8)} ms ${((100 * v) / total).toFixed(1).padStart(5)} %  ${k}`,
    );
  }
};
console.log(`${(total / 1000).toFixed(0)} ms sampled in the window`);
print("self time by package / file", selfPkg);
print("self time by function", selfFn);
print("inclusive time by function", inclusive);
