/**
 * Starts a module Web Worker running `url` (a module of our own origin that exports
 * `serve(self)`, or the function named `entry`): a tiny blob: bootstrap (allowed by `worker-src 'self' blob:`) imports it, and
 * the worker answers `{ ready: true }` once loaded. Resolves with the worker, or null when the
 * browser cannot start module workers or the module fails to load (callers then work on the page).
 */
export async function startModuleWorker(url: string, entry = "serve"): Promise<Worker | null> {
  if (typeof Worker === "undefined") return null;
  const source =
    `import(${JSON.stringify(url)})` +
    `.then((m) => m[${JSON.stringify(entry)}](self))` +
    `.catch(() => self.postMessage({ failed: true }));`;
  const blobUrl = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  let worker: Worker;
  try {
    worker = new Worker(blobUrl, { type: "module" });
  } catch {
    URL.revokeObjectURL(blobUrl);
    return null;
  }
  const ready = await new Promise<boolean>((resolve) => {
    worker.onerror = () => resolve(false);
    worker.onmessage = (e: MessageEvent<{ ready?: boolean }>) => resolve(e.data?.ready === true);
  });
  URL.revokeObjectURL(blobUrl);
  if (!ready) {
    worker.terminate();
    return null;
  }
  return worker;
}
