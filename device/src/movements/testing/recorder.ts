import { type MovementData, MovementDataSchema } from "@comptoir/contracts";
import type { Read } from "../../readers/identity.js";
import { decodeIdentity } from "../../readers/identity.js";
import { MovementEngine, type MovementEngineOptions } from "../engine.js";
import type { MovementEngineEvent } from "../events.js";

/** Helpers for this folder's tests: an engine that records what it says, and reads at given times. */

export const T0 = Date.parse("2026-11-22T09:00:00.000Z");

/** An SGTIN-96 EPC (GTIN 80614141123458) and a non-GS1 one, as readers report them. */
export const SGTIN_GTIN = "80614141123458";
export const SGTIN = "3034257BF7194E4000001A85";
export const PLAIN = "E2801160600002084E5C1234";

export function read(
  epc: string,
  antenna: number,
  ms: number,
  extra: { rssi?: number; reader?: string } = {},
): Read {
  const identity = decodeIdentity(epc);
  return {
    epc,
    ...(identity ? { identity } : {}),
    antenna,
    ...(extra.rssi !== undefined ? { rssi: extra.rssi } : {}),
    hostTime: new Date(T0 + ms).toISOString(),
    reader: extra.reader ?? "r1",
  };
}

export function recorder(options: MovementEngineOptions): {
  engine: MovementEngine;
  events: MovementEngineEvent[];
  movements: () => MovementData[];
} {
  const engine = new MovementEngine(options);
  const events: MovementEngineEvent[] = [];
  engine.on((event) => {
    // Every movement must be ready for the ledger: the committed schema accepts it.
    if (event.type === "movement") MovementDataSchema.parse(event.movement);
    events.push(event);
  });
  return {
    engine,
    events,
    movements: () => events.flatMap((event) => (event.type === "movement" ? [event.movement] : [])),
  };
}

/** Reads every `everyMs` from `fromMs` to `toMs` (inclusive). */
export function burst(
  epc: string,
  antenna: number,
  fromMs: number,
  toMs: number,
  everyMs: number,
  extra?: { rssi?: number; reader?: string },
): Read[] {
  const reads: Read[] = [];
  for (let ms = fromMs; ms <= toMs; ms += everyMs) reads.push(read(epc, antenna, ms, extra));
  return reads;
}
