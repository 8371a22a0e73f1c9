import { z } from "zod";

/**
 * The events the gateway sends out to the ERP (issue 18), one name per
 * business fact. A subscription in the gateway config lists the ones it
 * wants; each has its data schema in `events.ts` and in the OpenAPI
 * document's `webhooks` section.
 */
export const WEBHOOK_EVENT_TYPES = [
  "invoice.imported",
  "payment.applied",
  "allocation.undone",
  "credit.changed",
  "order.held",
  "order.released",
  "discrepancy.opened",
  "discrepancy.resolved",
  "stock.adjusted",
  "reorder.triggered",
  "margin.alert",
  "node.offline",
  "node.broken",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
export const WebhookEventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES);
