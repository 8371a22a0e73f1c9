/**
 * The reader protocols this node speaks, by the name the config uses
 * (`readers[].protocol`). Each protocol lives in its own folder; see types.ts.
 */
import { em4100 } from "./em4100/index.js";
import { line } from "./line/index.js";
import { r2000 } from "./r2000/index.js";
import { thingmagic } from "./thingmagic/index.js";
import type { ProtocolName, ReaderProtocol } from "./types.js";

export const protocols: Readonly<Record<ProtocolName, ReaderProtocol>> = {
  thingmagic,
  r2000,
  em4100,
  line,
};

export const PROTOCOL_NAMES = Object.keys(protocols) as readonly ProtocolName[];

export function isProtocolName(name: string): name is ProtocolName {
  return Object.hasOwn(protocols, name);
}

/** The protocol a config names; throws an error that lists the valid names. */
export function protocolByName(name: string): ReaderProtocol {
  if (!isProtocolName(name)) {
    throw new RangeError(
      `unknown reader protocol ${JSON.stringify(name)} — use one of: ${PROTOCOL_NAMES.join(", ")} (readers[].protocol in the node config)`,
    );
  }
  return protocols[name];
}

export type { ProtocolName, ReaderProtocol } from "./types.js";
