import {
  type Catalog,
  CatalogSchema,
  type CreditSnapshot,
  CreditSnapshotSchema,
  type OrderStateMessage,
  OrderStateMessageSchema,
  type SiteFormat,
  SiteFormatSchema,
} from "@comptoir/contracts";
import { type Inbound, parseInbound } from "./inbound.js";

/*
 * The site topics the gateway retains for the nodes (`credit/<customer>`, `catalog` for
 * counters, `orders/<order>` for every node),
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

/**
 * Reads a retained order state. Refuses what is not JSON, what the schema
 * refuses, and a state whose order is not the topic's: a dock must never
 * refuse or let go one order on another's state.
 */
export function readOrderState(payload: Buffer, topicOrder: string): Inbound<OrderStateMessage> {
  const parsed = parseInbound(payload, OrderStateMessageSchema);
  if (parsed.ok && parsed.value.order !== topicOrder) {
    return {
      ok: false,
      problem: `state of order ${parsed.value.order} on the topic of ${topicOrder}`,
    };
  }
  return parsed;
}

/**
 * Reads the gateway's retained site formats (locale, currency, zone). A
 * locale this node's Node.js has no data for is refused like any bad
 * message: the node keeps formatting with what it has.
 */
export function readSiteFormat(payload: Buffer): Inbound<SiteFormat> {
  return parseInbound(payload, SiteFormatSchema);
}
