import type Database from "better-sqlite3";
import { type EpcisSite, epcisNames } from "./identifiers.js";
import { type ScanFilter, type ScannedMovement, scanMovements } from "./movement-scan.js";
import { zonedTime } from "./time-zone.js";
import { type BizTransaction, transactionLookup } from "./transactions.js";
import { EPCIS_STEPS, readZone } from "./vocabulary.js";

export const EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";

/** Movements of one event are observed within this much of its first (a portal pass, a basket, a shelf's sweep). */
export const EPCIS_GAP_MS = 60_000;
/** EPCs in one event at most: a larger pass is split into consecutive events, so no event grows without bound. */
export const EPCIS_EVENT_EPCS = 1000;
/** Events still gathering at once; past it the oldest is written out. */
const OPEN_EVENTS = 1000;

export interface EpcisExport {
  filter: ScanFilter;
  site: EpcisSite;
  /** The document's creationDate (ISO UTC), from the injected clock. */
  createdAt: string;
  /** Movements read per page (tests make it small). */
  pageSize?: number;
}

interface Gathering {
  first: ScannedMovement;
  lastAt: string;
  lastReceivedAt: string;
  epcs: Set<string>;
}

/**
 * The EPCIS 2.0 JSON-LD document of the movements `filter` selects, as
 * chunks of text: the head, then each page's events, then the tail. Nothing
 * holds more than a page of movements and the events still gathering, so a
 * year's range streams in the memory of a page.
 *
 * Grouping: an EPCIS consumer expects one ObjectEvent per observation of a
 * set of objects at a read point for a business step and document (GS1's
 * examples list a pallet's items in one epcList), not one per tag. So the
 * movements of one node, kind, zones and document (order or sale) observed
 * within EPCIS_GAP_MS of the first make one event, as the dashboard's
 * movement events do, but across products: a mixed pallet is one receipt.
 * With `epc`, each event lists only that EPC (the item's own history).
 */
export function* epcisDocument(db: Database.Database, options: EpcisExport): Generator<string> {
  const names = epcisNames(options.site);
  const transactions = transactionLookup(db, names);
  const open = new Map<string, Gathering>();
  let written = 0;

  const render = (event: Gathering): string => {
    const { first } = event;
    const steps = EPCIS_STEPS[first.kind];
    const when = zonedTime(first.at, options.site.timeZone);
    const readAt = readZone(first.kind, first.from, first.to);
    const list: BizTransaction[] = transactions(first);
    const body = {
      type: "ObjectEvent",
      eventTime: when.time,
      eventTimeZoneOffset: when.offset,
      recordTime: event.lastReceivedAt,
      epcList: [...event.epcs].map((epc) => names.epc(epc)),
      action: "OBSERVE",
      bizStep: steps.bizStep,
      disposition: steps.disposition,
      readPoint: { id: readAt ? names.zone(readAt) : names.site() },
      ...(first.to ? { bizLocation: { id: names.zone(first.to) } } : {}),
      ...(list.length > 0 ? { bizTransactionList: list } : {}),
    };
    return `${written++ === 0 ? "\n" : ",\n"}${JSON.stringify(body)}`;
  };

  yield `{"@context":${JSON.stringify([EPCIS_CONTEXT])},"type":"EPCISDocument","schemaVersion":"2.0","creationDate":${JSON.stringify(options.createdAt)},"epcisBody":{"eventList":[`;
  for (const page of scanMovements(db, options.filter, options.pageSize)) {
    let chunk = "";
    for (const movement of page) {
      const key = [
        movement.chain,
        movement.kind,
        movement.from,
        movement.to,
        movement.order,
        movement.sale,
      ].join("\u0000");
      const event = open.get(key);
      if (
        event &&
        Math.abs(Date.parse(movement.at) - Date.parse(event.first.at)) <= EPCIS_GAP_MS &&
        event.epcs.size < EPCIS_EVENT_EPCS
      ) {
        // A tag seen twice in one pass is one object of the event (epcList items are unique).
        event.epcs.add(movement.epc);
        if (movement.at > event.lastAt) event.lastAt = movement.at;
        event.lastReceivedAt = movement.receivedAt;
        continue;
      }
      if (event) {
        chunk += render(event);
        open.delete(key);
      } else if (open.size >= OPEN_EVENTS) {
        const [oldest, gathering] = open.entries().next().value as [string, Gathering];
        chunk += render(gathering);
        open.delete(oldest);
      }
      open.set(key, {
        first: movement,
        lastAt: movement.at,
        lastReceivedAt: movement.receivedAt,
        epcs: new Set([movement.epc]),
      });
    }
    // Write out what the page's end has left behind: a movement recorded later than this
    // is another pass (a node's late batch starts events of its own).
    const last = page[page.length - 1];
    const horizon = last ? Date.parse(last.receivedAt) - EPCIS_GAP_MS : 0;
    for (const [key, event] of open) {
      if (Date.parse(event.lastReceivedAt) >= horizon) continue;
      chunk += render(event);
      open.delete(key);
    }
    if (chunk) yield chunk;
  }
  let rest = "";
  for (const event of open.values()) rest += render(event);
  yield `${rest}${written > 0 ? "\n" : ""}]}}\n`;
}
