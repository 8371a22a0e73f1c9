import type { Database } from "better-sqlite3";
import type { GatewayLedger } from "../ledger/gateway-ledger.js";
import { eventsOfEntry } from "./from-ledger.js";
import type { WebhookSink } from "./node-events.js";

/**
 * Puts the events of every gateway-ledger entry in the outbox, inside the
 * entry's own transaction: invoices, letterings and their undoing, credit
 * crossings and limit changes, held and released orders, stock
 * adjustments. (Discrepancies, analytics alerts and node states, which
 * have no ledger entry, enqueue where they are stored.) Returns the
 * unsubscribe function.
 */
export function sendLedgerEvents(
  ledger: GatewayLedger,
  db: Database,
  sink: WebhookSink,
): () => void {
  return ledger.onRecord((entry) => {
    for (const event of eventsOfEntry(entry, db)) sink.enqueue(event.type, event.data);
  });
}
