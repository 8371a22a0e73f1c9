import type { EpcisConfig } from "@comptoir/firmware-config";
import epcTdsModule from "epc-tds";

/**
 * The URIs an EPCIS document names things by (reference section 5 and 7):
 * GS1 pure-identity URNs where the site has GS1 keys, the site's own URIs
 * for everything else. EPCIS 2.0 takes any absolute URI; a raw hex EPC is
 * not one and is never written.
 */
export interface EpcisNames {
  /** The EPC's pure-identity URI (`urn:epc:id:sgtin:…`), or the site's URI of the tag. */
  epc(hex: string): string;
  /** A zone's read point and business location. */
  zone(zone: string): string;
  /** The site itself: the read point of a movement that names no zone. */
  site(): string;
  /** A document the site issued (its purchase and sales orders, its invoices). */
  ownDocument(kind: "po" | "order" | "invoice", number: string): string;
  /** A document a supplier issued (its invoice, its despatch advice). */
  supplierDocument(kind: "invoice" | "despatch", supplier: string | null, number: string): string;
}

/** The site id and the gateway config's `epcis` section. */
export interface EpcisSite extends Partial<EpcisConfig> {
  /** `gateway.site`: names the site in its own URIs when there is no `baseUri`. */
  site: string;
  /** `gateway.timeZone`: the zone of eventTimeZoneOffset; UTC when absent. */
  timeZone?: string;
}

// epc-tds is CommonJS (`module.exports = TDS`) but declares `export default`: under
// NodeNext the default import is the exports object (see device/src/readers/identity.ts).
type Tds = typeof epcTdsModule.default;
const tds: Tds =
  (epcTdsModule as unknown as { default?: Tds }).default ?? (epcTdsModule as unknown as Tds);

/** 96-bit GS1 schemes epc-tds decodes (TDS header byte); longer ones are left to the site URI. */
const GS1_96 = new Set([0x2c, 0x2d, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x3c, 0x3f]);
const EPC96 = /^[0-9A-F]{24}$/;
/** GS1 AI (254) characters, at most 20: what an SGLN extension may hold. */
const SGLN_EXTENSION = /^[A-Za-z0-9!%&'()*+,\-./:;<=>?_]{1,20}$/;

/**
 * The pure-identity URI of a 96-bit GS1 EPC, or null when the hex is not one
 * (another length, an unknown header, partition 7, bits that do not encode
 * back to the same hex). epc-tds checks none of that itself.
 */
export function gs1Uri(hex: string): string | null {
  if (!EPC96.test(hex) || !GS1_96.has(Number.parseInt(hex.slice(0, 2), 16))) return null;
  try {
    const epc = tds.valueOf(hex);
    return epc.toHexString().toUpperCase() === hex ? epc.toIdURI() : null;
  } catch {
    return null;
  }
}

/** The GLN's check digit (GS1 mod 10, weights 3,1,… from the right). */
function checkDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const digit = Number(digits[digits.length - 1 - i]);
    sum += i % 2 === 0 ? digit * 3 : digit;
  }
  return (10 - (sum % 10)) % 10;
}

export function epcisNames(config: EpcisSite): EpcisNames {
  const base = config.baseUri ?? `urn:comptoir:${encodeURIComponent(config.site)}:`;
  // An https base is a path (segments joined by "/"), the default URN a colon-separated name.
  const separator = base.endsWith("/") ? "/" : ":";
  const own = (...segments: string[]) =>
    base + segments.map((segment) => encodeURIComponent(segment)).join(separator);
  const { companyPrefix, locationReference } = config;
  const gln =
    companyPrefix !== undefined && locationReference !== undefined
      ? `${companyPrefix}${locationReference}${checkDigit(companyPrefix + locationReference)}`
      : null;
  const sgln = (extension: string) =>
    `urn:epc:id:sgln:${companyPrefix}.${locationReference}.${extension}`;
  const tags = new Map<string, string>();
  return {
    epc(hex) {
      let uri = tags.get(hex);
      if (uri === undefined) {
        uri = gs1Uri(hex) ?? own("tag", hex);
        // The tags of one export repeat (a pallet received, stored, picked, shipped); bounded.
        if (tags.size >= 10_000) tags.clear();
        tags.set(hex, uri);
      }
      return uri;
    },
    zone(zone) {
      const mapped = config.zones?.[zone];
      if (mapped) return mapped;
      if (gln && SGLN_EXTENSION.test(zone)) return sgln(zone);
      return own("zone", zone);
    },
    site: () => (gln ? sgln("0") : own("site")),
    ownDocument: (kind, number) =>
      gln ? `urn:epcglobal:cbv:bt:${gln}:${encodeURIComponent(number)}` : own(kind, number),
    supplierDocument: (kind, supplier, number) =>
      // The supplier's GLN is not known here: its documents are named under the site, by supplier.
      own("supplier", supplier ?? "unknown", kind, number),
  };
}
