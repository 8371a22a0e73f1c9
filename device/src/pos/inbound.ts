import {
  type Catalog,
  CatalogSchema,
  type CreditSnapshot,
  CreditSnapshotSchema,
} from "@comptoir/contracts";
import { type Inbound, parseInbound } from "../sync/inbound.js";

/** What arrived on `credit/<customer>` or `catalog`, or why it was refused. */
export type PosInbound<T> = Inbound<T>;

/**
 * Reads a retained credit snapshot. Refuses what is not JSON, what the
 * schema refuses, and a snapshot whose customer is not the topic's: a
 * counter must never decide for one customer from another's figures.
 */
export function readCreditSnapshot(
  payload: Buffer,
  topicCustomer: string,
): PosInbound<CreditSnapshot> {
  const parsed = parseInbound(payload, CreditSnapshotSchema);
  if (parsed.ok && parsed.value.customer !== topicCustomer) {
    return {
      ok: false,
      problem: `snapshot of customer ${parsed.value.customer} on the topic of ${topicCustomer}`,
    };
  }
  return parsed;
}

export function readCatalog(payload: Buffer): PosInbound<Catalog> {
  return parseInbound(payload, CatalogSchema);
}
