/** A Node worker thread that fills one argon2id lane (test/unit/crypto/argon2-lanes.test.ts). */
import { parentPort } from "node:worker_threads";
import { argon2idFillLane, type Argon2LaneJob } from "../../crypto/argon2-lanes";

parentPort!.on("message", (m: { id: number; job: Argon2LaneJob; lane: number }) => {
  argon2idFillLane(m.job, m.lane).then(
    () => parentPort!.postMessage({ id: m.id, ok: true }),
    () => parentPort!.postMessage({ id: m.id, ok: false }),
  );
});
