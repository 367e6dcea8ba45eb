/**
 * Bundles the crypto browser entry with esbuild (in memory) and serves it from 127.0.0.1 on a free
 * port, under the CSP the app uses for crypto ('wasm-unsafe-eval' so argon2id's WebAssembly runs).
 */
import { createServer, type Server } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ENTRY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "crypto-browser-entry.ts");

export const CRYPTO_PAGE_CSP =
  "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'";

export async function bundleCryptoEntry(): Promise<string> {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    write: false,
    format: "iife",
    platform: "browser",
    target: "es2022",
    minify: true,
    logLevel: "silent",
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error("esbuild produced no output");
  return file.text;
}

export interface CryptoPageServer {
  url: string;
  close(): Promise<void>;
}

export async function serveCryptoPage(): Promise<CryptoPageServer> {
  const bundle = await bundleCryptoEntry();
  const html =
    '<!doctype html><meta charset="utf-8"><title>crypto</title><script src="/bundle.js"></script>';
  const server: Server = createServer((req, res) => {
    const headers = { "content-security-policy": CRYPTO_PAGE_CSP, "cache-control": "no-store" };
    if (req.url === "/") {
      res.writeHead(200, { ...headers, "content-type": "text/html; charset=utf-8" });
      res.end(html);
    } else if (req.url === "/bundle.js") {
      res.writeHead(200, { ...headers, "content-type": "text/javascript; charset=utf-8" });
      res.end(bundle);
    } else {
      res.writeHead(404, headers);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
