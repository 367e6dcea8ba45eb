/** The unlocked key (or null) as React state; the store itself is loaded lazily in the browser. */
import { useEffect, useState } from "react";
import type { UnlockedKey } from "~/client/staff/key-store";

export function useStaffKey(): UnlockedKey | null {
  const [key, setKey] = useState<UnlockedKey | null>(null);
  useEffect(() => {
    let off: (() => void) | undefined;
    let live = true;
    void import("~/client/staff/key-store").then((store) => {
      if (!live) return;
      setKey(store.unlockedKey());
      off = store.subscribeKey(() => setKey(store.unlockedKey()));
    });
    return () => {
      live = false;
      off?.();
    };
  }, []);
  return key;
}
