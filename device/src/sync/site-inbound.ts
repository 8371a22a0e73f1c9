import {
  type Catalog,
  CatalogSchema,
  type CreditSnapshot,
  CreditSnapshotSchema,
} from "@comptoir/contracts";
import { type Inbound, parseInbound } from "./inbound.js";

/*
 * The site topics the gateway retains for every counter (`credit/<customer>`, `catalog`),
 * read at the MQTT edge like the ack and cmd topics: the sync emits what passes, and the
 * POS only listens. Kept here, not in pos/, so that sync never imports the POS.
 */

/**
 * Reads a retained credit snapshot. Refuses what is not JSON, what the
 * schema refuses, and a snapshot whose customer is not the topic's: a
 * counter must never decide for one customer from another's figures.
 */
export function readCreditSnapshot(
  payload: Buffer,
  topicCustomer: string,
): Inbound<CreditSnapshot> {
  const parsed = parseInbound(payload, CreditSnapshotSchema);
  if (parsed.ok && parsed.value.customer !== topicCustomer) {
    return {
      ok: false,
      problem: `snapshot of customer ${parsed.value.customer} on the topic of ${topicCustomer}`,
    };
  }
  return parsed;
}

/** Reads the retained catalog; refuses what is not JSON and what the schema refuses. */
export function readCatalog(payload: Buffer): Inbound<Catalog> {
  return parseInbound(payload, CatalogSchema);
}
