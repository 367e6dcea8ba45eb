// Builds the Remix app (build/index.js, public/build/) and the server entry (build/server.js).
import { execFileSync } from "node:child_process";
import { build } from "esbuild";

execFileSync(process.execPath, ["node_modules/@remix-run/dev/dist/cli.js", "build"], {
  stdio: ["ignore", "inherit", "inherit"],
});

await build({
  entryPoints: ["server/index.ts"],
  outfile: "build/server.js",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
});
