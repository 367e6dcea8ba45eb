/** The unlocked key (or null) as React state; the store itself is loaded lazily in the browser. */
import { useEffect, useState } from "react";
import type { UnlockedKey } from "~/client/staff/key-store";

export function useStaffKeyState(): { key: UnlockedKey | null; restoring: boolean } {
  const [state, setState] = useState<{ key: UnlockedKey | null; restoring: boolean }>({
    key: null,
    restoring: false,
  });
  useEffect(() => {
    let off: (() => void) | undefined;
    let live = true;
    void import("~/client/staff/key-store").then((store) => {
      if (!live) return;
      const read = () => setState({ key: store.unlockedKey(), restoring: store.keyRestoring() });
      read();
      off = store.subscribeKey(read);
    });
    return () => {
      live = false;
      off?.();
    };
  }, []);
  return state;
}

export function useStaffKey(): UnlockedKey | null {
  return useStaffKeyState().key;
}
