// Builds the Remix app (<build>/index.js, <build>/client/) and the server (<build>/server-app.cjs with
// its V8 code cache, and the entry <build>/server.js).
// <build> is CROSSWATCH_BUILD_DIR or ./build.
//
// Always the production artifact, whoever calls it: the Remix CLI takes its mode from NODE_ENV,
// and vitest sets NODE_ENV=test for everything it starts (including the global setup that builds
// for `npm run test:e2e`), which used to produce a test-mode bundle with React's development
// build and hydration warnings that `npm test` and real deployments never see.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import Module from "node:module";
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

// The server: the app build (<build>/index.js), our services and every package both use in one
// CommonJS bundle, <build>/server-app.cjs (server/app-modules.ts; issue 13 item 7, cold start,
// docs/benchmarks.md): resolving and loading ~770 package files one by one took about 40 % of the
// CPU from start to the first answer. One module graph, so one copy of each package. Left out:
// native addons and what only a native build needs. CommonJS because Node 20 can compile a script
// with V8's code cache, not an ES module (server/code-cache.ts).
const appBuildPlugin = {
  name: "app-build",
  setup(b) {
    // server/app-modules.ts imports "virtual:app-build": the Remix build just written.
    b.onResolve({ filter: /^virtual:app-build$/ }, () => ({
      path: path.resolve(buildDir, "index.js"),
    }));
  },
};
await build({
  entryPoints: ["server/app-modules.ts"],
  outfile: `${buildDir}/server-app.cjs`,
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  external: ["better-sqlite3", "pg-native"],
  // Always the production artifact (see above): React and the other packages read NODE_ENV once,
  // when they load, so it is fixed here rather than set at run time.
  define: { "process.env.NODE_ENV": '"production"', "import.meta.url": "__crosswatchModuleUrl" },
  // What `import.meta.url` meant in the ES modules bundled here (the password hasher resolves
  // hash-wasm from it): this file's URL.
  banner: {
    js: 'var __crosswatchModuleUrl = require("node:url").pathToFileURL(__filename).href;',
  },
  plugins: [appBuildPlugin],
  sourcemap: true,
  logLevel: "warning",
});
// The entry (server/index.ts): start-up order, HTTP plumbing, signals. Node's built-ins only; all
// else comes from server-app.cjs at run time, so nothing is bundled twice.
await build({
  entryPoints: ["server/index.ts"],
  outfile: `${buildDir}/server.js`,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  plugins: [
    {
      name: "built-ins-only",
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) =>
          args.path.startsWith("node:")
            ? { path: args.path, external: true }
            : {
                errors: [
                  {
                    text: `server/index.ts may import only node: built-ins at run time (${args.path}); add it to server/app-modules.ts`,
                  },
                ],
              },
        );
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
// server-app.cjs is then written inside Node's CommonJS wrapper, on the same lines: the loader
// (server/code-cache.ts) compiles the file's text as it is instead of wrapping it at every start,
// which made V8 copy the 7 MB twice more (fresh pages: docs/benchmarks.md, "Cold start on
// PostgreSQL"). The file is no longer a module to `require`; only that loader runs it.
for (const file of [`${buildDir}/server-app.cjs`, `${buildDir}/server.js`]) {
  const source = fs.readFileSync(file, "utf8");
  const ascii = source.replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  const text = file.endsWith("server-app.cjs") ? Module.wrap(ascii) : ascii;
  if (text !== source) fs.writeFileSync(file, text);
}

// V8's code cache for server-app.cjs (server/code-cache.ts): made by loading the bundle once in a
// process of its own, run as `npm run serve` runs the server (its node flags: V8 refuses a cache
// made under other flags). server/code-cache.ts is TypeScript: esbuild makes a runnable copy.
const cacheWriter = path.join(buildDir, ".code-cache-writer.mjs");
await build({
  stdin: {
    // The app build and the demo seeding are loaded on demand at start: load them here too, so
    // that the cache holds their code.
    contents: `import { writeCodeCache } from "./server/code-cache.ts";
console.log(await writeCodeCache(process.argv[2], async (m) => Promise.all([m.appBuild(), m.demoSeeding()])));
process.exit(0);`,
    resolveDir: process.cwd(),
    loader: "ts",
  },
  outfile: cacheWriter,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: ["node:*"],
  logLevel: "warning",
});
const serve = /node((?:\s+--\S+)*)\s+build\/server\.js$/.exec(
  JSON.parse(fs.readFileSync("package.json", "utf8")).scripts.serve,
);
execFileSync(
  process.execPath,
  [
    ...(serve?.[1].trim().split(/\s+/).filter(Boolean) ?? []),
    cacheWriter,
    `${buildDir}/server-app.cjs`,
  ],
  { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, NODE_ENV: "production" } },
);
fs.rmSync(cacheWriter);
