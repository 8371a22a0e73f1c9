import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import type { Logger } from "@comptoir/contracts";
import { z } from "zod";

/** Wrong-PIN counters as they are kept between restarts. */
const AttemptsStateSchema = z.object({
  ids: z.record(
    z.string(),
    z.object({
      failures: z.number().int().min(0),
      lockedUntil: z.number(),
      lastFailure: z.number(),
    }),
  ),
  node: z.array(z.number()),
});
export type AttemptsState = z.infer<typeof AttemptsStateSchema>;

export interface AttemptsFile {
  load(): AttemptsState;
  save(state: AttemptsState): void;
}

const empty = (): AttemptsState => ({ ids: {}, node: [] });

/** Kept in memory only: for tests and tools that have no data directory. */
export function memoryAttemptsFile(): AttemptsFile {
  let kept = empty();
  return { load: () => kept, save: (state) => (kept = state) };
}

/**
 * A small JSON file in the node's data directory, written tmp → fsync →
 * rename before the wrong PIN is answered: a lockout survives a restart or
 * a power cut. Written synchronously, so two failures cannot reorder; writes
 * are rare (a locked-out id is refused before anything is written).
 */
export function jsonAttemptsFile(path: string, log: Logger): AttemptsFile {
  return {
    load() {
      let text: string;
      try {
        text = readFileSync(path, "utf8");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return empty();
        throw new Error(
          `cannot read the wrong-PIN counters in ${path}: ${(error as Error).message}`,
        );
      }
      try {
        return AttemptsStateSchema.parse(JSON.parse(text));
      } catch {
        // Only someone with access to the node's disk can damage it; counting starts again.
        log.warn({ path }, "the wrong-PIN counters file is unreadable: counting starts from zero");
        return empty();
      }
    },
    save(state) {
      const tmp = `${path}.tmp`;
      const fd = openSync(tmp, "w", 0o600);
      try {
        writeSync(fd, JSON.stringify(state));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, path);
    },
  };
}
