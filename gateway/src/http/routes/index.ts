import type { RouteDeps } from "../context.js";
import type { RouteGroup } from "../route-group.js";
import { analyticsRoutes } from "./analytics.js";
import { auditRoutes } from "./audit.js";
import { creditRoutes } from "./credit.js";
import { customerRoutes } from "./customers.js";
import { dunningRoutes } from "./dunning.js";
import { epcisRoutes } from "./epcis.js";
import { fileDropRoutes } from "./file-drop.js";
import { healthRoutes } from "./health.js";
import { invoiceImportRoutes } from "./invoice-import.js";
import { invoiceRoutes } from "./invoices.js";
import { marginsRoutes } from "./margins.js";
import { masterDataImportRoutes } from "./master-data-import.js";
import { metricsRoutes } from "./metrics.js";
import { movementRoutes } from "./movements.js";
import { nodeLifecycleRoutes } from "./node-lifecycle.js";
import { nodeRecoveryRoutes } from "./node-recovery.js";
import { nodeRoutes } from "./nodes.js";
import { openApiRoutes } from "./openapi.js";
import { orderRoutes } from "./orders.js";
import { paymentRoutes } from "./payments.js";
import { productRoutes } from "./products.js";
import { receivablesReportRoutes } from "./receivables.js";
import { reconciliationRoutes } from "./reconciliation.js";
import { reorderRoutes } from "./reorder.js";
import { scheduleRoutes } from "./schedules.js";
import { siteRoutes } from "./site.js";
import { stockRoutes } from "./stock.js";
import { stockAdjustmentRoutes } from "./stock-adjustments.js";
import { tagRoutes } from "./tags.js";
import { valuationRoutes } from "./valuation.js";
import { webhookRoutes } from "./webhooks.js";

/**
 * Every route group of /api/v1, in the order they are mounted (a route that
 * passes a request on with `next()` reaches the groups after it) and
 * documented, then `GET /openapi.json`, the document of them all.
 */
export function apiRoutes(deps: RouteDeps, version: string): RouteGroup[] {
  const groups = [
    healthRoutes(deps),
    siteRoutes(deps),
    metricsRoutes(deps),
    nodeRoutes(deps),
    nodeLifecycleRoutes(deps),
    nodeRecoveryRoutes(deps),
    stockRoutes(deps),
    stockAdjustmentRoutes(deps),
    tagRoutes(deps),
    movementRoutes(deps),
    epcisRoutes(deps),
    // Before products and customers: their /:id routes would take `template.csv` for an id.
    masterDataImportRoutes(deps),
    productRoutes(deps),
    customerRoutes(deps),
    invoiceRoutes(deps),
    paymentRoutes(deps),
    creditRoutes(deps),
    invoiceImportRoutes(deps),
    orderRoutes(deps),
    reconciliationRoutes(deps),
    receivablesReportRoutes(deps),
    dunningRoutes(deps),
    valuationRoutes(deps),
    marginsRoutes(deps),
    analyticsRoutes(deps),
    reorderRoutes(deps),
    scheduleRoutes(deps),
    auditRoutes(deps),
    fileDropRoutes(deps),
    webhookRoutes(deps),
  ];
  return [...groups, openApiRoutes(deps.tokens, groups, version)];
}
