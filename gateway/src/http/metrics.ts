import { Counter, collectDefaultMetrics, Gauge, Registry } from "prom-client";
import type { RouteDeps } from "./context.js";

/**
 * The gateway's Prometheus registry (one per app, no global): node chains,
 * stock, the gateway ledger, the broker, HTTP requests, and the process.
 * Gauges read the store when scraped, not on every change.
 */
export function createMetrics(deps: Omit<RouteDeps, "registry">, registry = new Registry()) {
  collectDefaultMetrics({ register: registry, prefix: "comptoir_" });
  new Gauge({
    name: "comptoir_nodes",
    help: "Enrolled nodes by chain state",
    labelNames: ["state"],
    registers: [registry],
    collect() {
      const counts = { ok: 0, broken: 0 };
      for (const node of deps.store.nodes()) counts[node.state]++;
      this.set({ state: "ok" }, counts.ok);
      this.set({ state: "broken" }, counts.broken);
    },
  });
  new Gauge({
    name: "comptoir_node_verified_seq",
    help: "The last seq of each node's chain the gateway verified and stored",
    labelNames: ["node"],
    registers: [registry],
    collect() {
      this.reset();
      for (const node of deps.store.nodes()) this.set({ node: node.id }, node.head.seq);
    },
  });
  new Gauge({
    name: "comptoir_node_online",
    help: "1 when the node's last status says online",
    labelNames: ["node"],
    registers: [registry],
    collect() {
      this.reset();
      for (const node of deps.store.nodes()) {
        this.set({ node: node.id }, deps.nodeStatus(node.id)?.status.state === "online" ? 1 : 0);
      }
    },
  });
  new Gauge({
    name: "comptoir_node_clock_skew_seconds",
    help: "Each node's clock − the gateway's, on its last live status (MQTT latency included); absent until measured",
    labelNames: ["node"],
    registers: [registry],
    collect() {
      this.reset();
      for (const node of deps.store.nodes()) {
        const skewMs = deps.nodeClock(node.id)?.skewMs;
        if (typeof skewMs === "number") this.set({ node: node.id }, skewMs / 1000);
      }
    },
  });
  new Gauge({
    name: "comptoir_node_clock_flagged",
    help: "1 while the node's clock skew is over ingest.clockSkewSeconds (its movements are aged by receive time)",
    labelNames: ["node"],
    registers: [registry],
    collect() {
      this.reset();
      for (const node of deps.store.nodes()) {
        const clock = deps.nodeClock(node.id);
        if (clock) this.set({ node: node.id }, clock.flagged ? 1 : 0);
      }
    },
  });
  new Gauge({
    name: "comptoir_webhook_events",
    help: "Webhook events per subscription not delivered: pending (queued or retrying) or dead (waiting for a replay)",
    labelNames: ["subscription", "state"],
    registers: [registry],
    collect() {
      this.reset();
      for (const subscription of deps.webhookAdmin?.list() ?? []) {
        this.set({ subscription: subscription.id, state: "pending" }, subscription.queue.pending);
        this.set({ subscription: subscription.id, state: "dead" }, subscription.queue.dead);
      }
    },
  });
  new Gauge({
    name: "comptoir_stock_items",
    help: "Items on the site per zone",
    labelNames: ["zone"],
    registers: [registry],
    collect() {
      this.reset();
      const zones = new Map<string, number>();
      for (const row of deps.store.stock())
        zones.set(row.zone, (zones.get(row.zone) ?? 0) + row.count);
      for (const [zone, count] of zones) this.set({ zone }, count);
    },
  });
  new Gauge({
    name: "comptoir_gateway_ledger_seq",
    help: "The head seq of the gateway's own ledger",
    registers: [registry],
    collect() {
      this.set(deps.ledger.head.seq);
    },
  });
  new Gauge({
    name: "comptoir_broker_up",
    help: "1 when the MQTT broker is up (embedded) or connected (external)",
    registers: [registry],
    collect() {
      this.set(deps.brokerState().state === "up" ? 1 : 0);
    },
  });
  const requests = new Counter({
    name: "comptoir_http_requests_total",
    help: "HTTP API requests by route and status",
    labelNames: ["method", "route", "status"],
    registers: [registry],
  });
  return { registry, requests };
}
