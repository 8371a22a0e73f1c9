import { creditBench } from "./credit.js";
import { dashboardBench } from "./dashboard.js";
import { gatewayBench } from "./gateway.js";
import { ledgerBench } from "./ledger.js";
import { nodeBench } from "./node.js";
import { nodeMemoryBench } from "./node-memory.js";
import { readersBench } from "./readers.js";
import { reconcileBench } from "./reconcile.js";
import type { Bench } from "./result.js";
import { startBench } from "./start.js";
import { syncBench } from "./sync.js";
import { valuationBench } from "./valuation.js";
import { wearBench } from "./wear.js";
import { webhooksBench } from "./webhooks.js";

export const benches: Bench[] = [
  ledgerBench,
  readersBench,
  nodeBench,
  syncBench,
  gatewayBench,
  nodeMemoryBench,
  startBench,
  reconcileBench,
  dashboardBench,
  creditBench,
  valuationBench,
  webhooksBench,
  wearBench,
];
