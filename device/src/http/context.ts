import type { Logger } from "@comptoir/contracts";
import type { NodeApi } from "../node/api.js";
import type { StreamSlots } from "./sse-pump.js";

/** What every route group gets from createNodeApp. */
export interface RouteDeps {
  api: NodeApi;
  log: Logger;
  /** Station actions (move, assign, cycle count) are offered: true on station nodes by default. */
  stationActions: boolean;
  /** Milliseconds between SSE keep-alive comments. */
  heartbeatMs: number;
  /** Event streams (SSE) open at once, for every route that streams (createNodeApp sets it; none: no cap). */
  streams?: StreamSlots;
  /** Runs state changes one at a time, so a check and the write it guards cannot interleave. */
  serial: <T>(work: () => Promise<T>) => Promise<T>;
}

/** A queue of one: each piece of work starts when the previous one has settled. */
export function createSerial(): RouteDeps["serial"] {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(work, work);
    tail = run.catch(() => undefined);
    return run;
  };
}
