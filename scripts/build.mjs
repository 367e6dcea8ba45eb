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

// The server bundle keeps packages external: a build directory outside this checkout needs a way
// back to our node_modules.
const outside = path.relative(process.cwd(), path.resolve(buildDir)).startsWith("..");
const link = path.join(buildDir, "node_modules");
if (outside && !fs.existsSync(link)) {
  fs.mkdirSync(buildDir, { recursive: true });
  fs.symlinkSync(path.resolve("node_modules"), link, "dir");
}

await build({
  entryPoints: ["server/index.ts"],
  outfile: `${buildDir}/server.js`,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
});
