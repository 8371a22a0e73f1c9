import epcTdsModule from "epc-tds";
import type { TagReport } from "./types.js";

/**
 * GS1 identity of a tag, decoded from its EPC (reference section 5). Only the
 * 96-bit schemes a stock node meets are decoded; any other EPC stays raw.
 * Numeric fields are strings, zero-padded as the partition table prescribes.
 */
export type TagIdentity =
  | {
      readonly scheme: "sgtin-96";
      readonly filter: number;
      readonly companyPrefix: string;
      readonly itemReference: string;
      readonly serial: string;
      /** GTIN-14 including its check digit. */
      readonly gtin: string;
      /** Pure identity URI (EPCIS): `urn:epc:id:sgtin:CP.IR.serial`. */
      readonly uri: string;
    }
  | {
      readonly scheme: "sscc-96";
      readonly filter: number;
      readonly companyPrefix: string;
      readonly serialReference: string;
      /** SSCC-18 including its check digit. */
      readonly sscc: string;
      readonly uri: string;
    }
  | {
      readonly scheme: "grai-96";
      readonly filter: number;
      readonly companyPrefix: string;
      readonly assetType: string;
      readonly serial: string;
      /** GRAI as AI (8003) data: filler `0` + CP + asset type + check digit + serial. */
      readonly grai: string;
      readonly uri: string;
    };

/** One tag read as the node records it. */
export interface Read {
  epc: string;
  identity?: TagIdentity;
  antenna: number;
  rssi?: number;
  frequency?: number;
  readerTime?: number;
  /** When the host received it: ISO 8601 UTC. */
  hostTime: string;
  /** The reader's name in the node config. */
  reader: string;
}

// epc-tds is CommonJS (`module.exports = TDS`) but declares `export default`: under
// NodeNext the default import is the exports object, typed as `{ default: TDS }`.
type Tds = typeof epcTdsModule.default;
const tds: Tds =
  (epcTdsModule as unknown as { default?: Tds }).default ?? (epcTdsModule as unknown as Tds);

const EPC96 = /^[0-9A-Fa-f]{24}$/;
const SGTIN96 = 0x30;
const SSCC96 = 0x31;
const GRAI96 = 0x33;

/** Tags are read many times a second: decoded identities are remembered, within a bound. */
const CACHE_LIMIT = 4096;
const cache = new Map<string, TagIdentity | null>();

/**
 * The GS1 identity of an EPC given in hex, or undefined when it is not a valid
 * SGTIN-96, SSCC-96 or GRAI-96 (wrong length, non-hex, other header, partition 7).
 * Never throws.
 */
export function decodeIdentity(epcHex: string): TagIdentity | undefined {
  if (typeof epcHex !== "string" || !EPC96.test(epcHex)) return undefined;
  const header = Number.parseInt(epcHex.slice(0, 2), 16);
  if (header !== SGTIN96 && header !== SSCC96 && header !== GRAI96) return undefined;
  const key = epcHex.toUpperCase();
  const known = cache.get(key);
  if (known !== undefined) return known ?? undefined;
  const identity = decode(key, header);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, identity ?? null);
  return identity;
}

function decode(hex: string, header: number): TagIdentity | undefined {
  // The partition (bits 11-13) must be 0-6; epc-tds throws a bare TypeError on 7.
  const partition = (Number.parseInt(hex.slice(2, 4), 16) >> 2) & 7;
  if (partition === 7) return undefined;
  try {
    if (header === SGTIN96) {
      const epc = new tds.Sgtin96(hex);
      const uri = epc.toIdURI();
      const [companyPrefix, itemReference, serial] = idFields(uri);
      return Object.freeze({
        scheme: "sgtin-96",
        filter: epc.getFilter(),
        companyPrefix,
        itemReference,
        serial,
        gtin: epc.getGtin(),
        uri,
      });
    }
    if (header === SSCC96) {
      const epc = new tds.Sscc96(hex);
      const uri = epc.toIdURI();
      const [companyPrefix, serialReference] = idFields(uri);
      return Object.freeze({
        scheme: "sscc-96",
        filter: epc.getFilter(),
        companyPrefix,
        serialReference,
        sscc: epc.getSscc(),
        uri,
      });
    }
    const epc = new tds.Grai96(hex);
    const uri = epc.toIdURI();
    const [companyPrefix, assetType, serial] = idFields(uri);
    return Object.freeze({
      scheme: "grai-96",
      filter: epc.getFilter(),
      companyPrefix,
      assetType,
      serial,
      // epc-tds leaves out the filler digit that AI (8003) requires
      grai: `0${epc.getGrai()}`,
      uri,
    });
  } catch {
    return undefined;
  }
}

/** `urn:epc:id:<scheme>:A.B.C` → ["A", "B", "C"] (padded as the library prints them). */
function idFields(uri: string): [string, string, string] {
  const parts = (uri.slice(uri.lastIndexOf(":") + 1).split(".") as string[]).concat("", "", "");
  return [parts[0] as string, parts[1] as string, parts[2] as string];
}

/** A reader's tag report as the node records it, with the GS1 identity when there is one. */
export function toRead(report: TagReport, reader: string, hostTime: Date): Read {
  // Keys in the documented order (JSON lines read naturally); absent metadata is left out.
  const read = { epc: report.epc } as Read;
  const identity = decodeIdentity(report.epc);
  if (identity !== undefined) read.identity = identity;
  read.antenna = report.antenna;
  if (report.rssi !== undefined) read.rssi = report.rssi;
  if (report.frequency !== undefined) read.frequency = report.frequency;
  if (report.readerTime !== undefined) read.readerTime = report.readerTime;
  read.hostTime = hostTime.toISOString();
  read.reader = reader;
  return read;
}
