// Build output goes to CROSSWATCH_BUILD_DIR (default ./build): index.js (server build),
// client/ (browser assets, served under /build/), server.js (the server entry, see scripts/build.mjs).
// A separate directory per checkout or test run keeps concurrent builds apart.
const buildDir = process.env.CROSSWATCH_BUILD_DIR || "build";

/** @type {import('@remix-run/dev').AppConfig} */
export default {
  ignoredRouteFiles: ["**/.*", "**/*.test.*"],
  serverModuleFormat: "esm",
  serverPlatform: "node",
  serverBuildPath: `${buildDir}/index.js`,
  assetsBuildDirectory: `${buildDir}/client`,
  cacheDirectory: `${buildDir}/.cache`,
  publicPath: "/build/",
  serverDependenciesToBundle: [],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: true,
  },
};
