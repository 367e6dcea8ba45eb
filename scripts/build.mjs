// Builds the Remix app (<build>/index.js, <build>/client/) and the server entry (<build>/server.js).
// <build> is CROSSWATCH_BUILD_DIR or ./build.
//
// Always the production artifact, whoever calls it: the Remix CLI takes its mode from NODE_ENV,
// and vitest sets NODE_ENV=test for everything it starts (including the global setup that builds
// for `npm run test:e2e`), which used to produce a test-mode bundle with React's development
// build and hydration warnings that `npm test` and real deployments never see.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { build } from "esbuild";

const buildDir = process.env.CROSSWATCH_BUILD_DIR || "build";
fs.rmSync(`${buildDir}/client`, { recursive: true, force: true });

// The offices this build trusts, compiled into server and client (scripts/office-trust.ts).
execFileSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/office-trust.ts"], {
  stdio: ["ignore", "inherit", "inherit"],
});

execFileSync(process.execPath, ["node_modules/@remix-run/dev/dist/cli.js", "build"], {
  stdio: ["ignore", "inherit", "inherit"],
  env: { ...process.env, NODE_ENV: "production", VITE_CJS_IGNORE_WARNING: "true" },
});

// A build directory outside this checkout needs a way back to our node_modules: for the native
// addons the server bundle leaves out, and for hash-wasm (the password hasher's worker threads
// require it by path).
const outside = path.relative(process.cwd(), path.resolve(buildDir)).startsWith("..");
const link = path.join(buildDir, "node_modules");
if (outside && !fs.existsSync(link)) {
  fs.mkdirSync(buildDir, { recursive: true });
  fs.symlinkSync(path.resolve("node_modules"), link, "dir");
}

// The server entry, bundled with the app build (<build>/index.js) and every package both use into
// one file (issue 13 item 7, cold start; docs/benchmarks.md): resolving and loading ~770 package
// files one by one took about 40 % of the CPU from start to the first answer. One module graph, so
// one copy of each package, as before. Left out: native addons and what only a native build needs.
await build({
  entryPoints: ["server/index.ts"],
  outfile: `${buildDir}/server.js`,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: ["better-sqlite3", "pg-native"],
  // Always the production artifact (see above): React and the other packages read NODE_ENV once,
  // when they load, so it is fixed here rather than set at run time.
  define: { "process.env.NODE_ENV": '"production"' },
  // CommonJS packages inside an ES module still `require` Node's built-ins.
  banner: {
    js: 'import { createRequire as __crosswatchRequire } from "node:module"; const require = __crosswatchRequire(import.meta.url);',
  },
  plugins: [
    {
      name: "app-build",
      setup(b) {
        // server/index.ts imports "virtual:app-build": the Remix build just written.
        b.onResolve({ filter: /^virtual:app-build$/ }, () => ({
          path: path.resolve(buildDir, "index.js"),
        }));
      },
    },
  ],
  sourcemap: true,
  logLevel: "warning",
});

// V8 keeps a script's source for the life of the process (lazy compilation, Function#toString),
// one byte per character when every character fits in Latin-1, two otherwise. esbuild escapes
// non-ASCII in strings but leaves it in comments (the packages' typographic apostrophes), regular
// expression literals (our CJK amount parsing) and String.raw templates (Remix's dev-only live
// reload script, itself JS source): that made the whole 7 MB source a two-byte string, 16 MB of
// the idle server's heap (issue 13 item 7). A \uXXXX escape means the same code unit in each of
// those places, and escaping within a line keeps the source map's lines.
const serverFile = `${buildDir}/server.js`;
const source = fs.readFileSync(serverFile, "utf8");
const ascii = source.replace(
  /[\u0080-\uffff]/g,
  (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
);
if (ascii !== source) fs.writeFileSync(serverFile, ascii);
