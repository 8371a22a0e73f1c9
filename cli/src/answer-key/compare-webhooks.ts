import { setTimeout as sleep } from "node:timers/promises";
import type { WebhookSubscriptionStatus } from "@comptoir/contracts";
import type { ErpReceiver, JsonApi, ReceivedEvent } from "@comptoir/simulators";
import type { KeyDiscrepancy } from "./key.js";
import { byPair, type WebhookKey } from "./key-webhooks.js";

type Check = (figure: string, expected: unknown, actual: unknown) => void;

/**
 * What the ERP's receiver heard, against the key: an invoice.imported per
 * invoice, each payment lettered against the invoice it names, the held
 * and released orders in the order they happened, an opened discrepancy
 * for each of the key's, every request signed and in commit order.
 * Waits first until the gateway's queue for the subscription is empty.
 */
export async function compareWebhooks(
  api: JsonApi,
  receiver: ErpReceiver,
  key: WebhookKey,
  discrepancies: readonly KeyDiscrepancy[],
  check: Check,
): Promise<{ events: number; duplicates: number }> {
  const status = await drained(api);
  check("webhook events parked as dead letters", 0, status?.queue.dead ?? null);
  check("webhook events still undelivered", 0, status?.queue.pending ?? null);
  check("webhook requests the receiver refused", [], receiver.refused);

  const of = (type: ReceivedEvent["type"]) =>
    receiver.events.filter((event) => event.type === type).map((event) => event.data);
  const recorded = of("invoice.imported").filter((data) => data.updated === false);
  check("invoice.imported events, by direction", key.invoices, {
    customer: recorded.filter((data) => data.direction === "customer").length,
    supplier: recorded.filter((data) => data.direction === "supplier").length,
  });

  const named = new Set(key.lettered.map(([payment]) => payment));
  const lettered = new Map<string, [string, string]>();
  for (const data of of("payment.applied")) {
    const payment = String(data.payment);
    if (!named.has(payment)) continue;
    for (const allocation of data.allocations as { invoice: string | null; source: string }[]) {
      if (allocation.source === "payment" && allocation.invoice)
        lettered.set(`${payment} ${allocation.invoice}`, [payment, allocation.invoice]);
    }
  }
  check(
    "payment.applied: each payment lettered against the invoice its label names",
    key.lettered,
    [...lettered.values()].sort(byPair),
  );

  check(
    "order.held events",
    key.held,
    of("order.held").map((data) => data.order),
  );
  check(
    "order.released events",
    key.released,
    of("order.released").map((data) => data.order),
  );

  const opened = of("discrepancy.opened").map((data) =>
    [data.kind, data.order, data.sku, data.observed, data.invoiced].join(" "),
  );
  check(
    "discrepancies in the key the ERP was not told of (discrepancy.opened)",
    [],
    discrepancies
      .map((d) => [d.kind, d.order, d.sku, d.observed, d.invoiced].join(" "))
      .filter((id) => !opened.includes(id)),
  );

  // Per subscription, in commit order: the ledger entries behind the events never go back
  // (one entry may stand for two events: an invoice and the credit note it letters).
  const seqs = receiver.events.flatMap((event) =>
    typeof event.data.ledgerSeq === "number" ? [event.data.ledgerSeq] : [],
  );
  check(
    "webhook events out of commit order",
    0,
    seqs.filter((seq, index) => index > 0 && seq < (seqs[index - 1] as number)).length,
  );
  return { events: receiver.events.length, duplicates: receiver.duplicates };
}

/** The receiver's subscription once nothing is left to deliver (or after a minute: then it differs). */
async function drained(api: JsonApi): Promise<WebhookSubscriptionStatus | undefined> {
  const deadline = Date.now() + 60_000;
  let status: WebhookSubscriptionStatus | undefined;
  while (Date.now() < deadline) {
    const list = await api.get<{ subscriptions: WebhookSubscriptionStatus[] }>("/webhooks");
    status = list.subscriptions.find((subscription) => subscription.id === ERP_SUBSCRIPTION);
    if (status && status.queue.pending === 0) return status;
    await sleep(250);
  }
  return status;
}

/** The answer key's ERP, as the gateway config names its subscription. */
export const ERP_SUBSCRIPTION = "erp";
