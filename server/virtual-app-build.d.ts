// scripts/build.mjs resolves this to the Remix app build (<build>/index.js) and bundles it into
// <build>/server.js; server/index.ts casts it to ServerBuild.
declare module "virtual:app-build";
