import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GENESIS_PREV, generateIdentity, type LedgerEntry, sealEntry } from "@comptoir/contracts";
import {
  Catalog,
  EventHub,
  GatewayLedger,
  type NodeStatusRecord,
  Store,
  serveGateway,
  TokenStore,
} from "@comptoir/gateway";
import { type Bench, percentile, result } from "./result.js";

const SYSTEM = { kind: "system", id: "bench" } as const;
const NODES = 100;
const SKUS = 10_000;

/** One node's chain: each entry receives one item of its own SKU. */
function receipts(node: string, first: number, count: number): LedgerEntry[] {
  const entries: LedgerEntry[] = [];
  let prev = GENESIS_PREV;
  for (let i = 0; i < count; i++) {
    const n = first + i;
    const at = new Date().toISOString();
    const { entry } = sealEntry({
      seq: i + 1,
      ts: at,
      chain: node,
      type: "movement",
      data: {
        epc: `30340000${n.toString(16).toUpperCase().padStart(16, "0")}`,
        sku: `SKU-${n}`,
        kind: "receive",
        from: null,
        to: `zone-${n % 20}`,
        reader: "r1",
        antennas: [1],
        reads: 3,
        at,
      },
      prev,
    });
    entries.push(entry);
    prev = entry.hash;
  }
  return entries;
}

const browserNow = "performance.timeOrigin + performance.now()";

export const dashboardBench: Bench = {
  name: "dashboard",
  summary:
    "the gateway dashboard in headless Chromium: first render with 10 000 SKUs and 100 nodes, and live event to screen",
  async run({ quick, log }) {
    const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
    if (!existsSync(executablePath)) {
      throw new Error(
        `no Chromium at ${executablePath}: install the chromium package or set CHROMIUM_PATH`,
      );
    }
    const root = await mkdtemp(join(tmpdir(), "comptoir-bench-dashboard-"));
    const store = new Store(join(root, "gateway.db"));
    const ledger = new GatewayLedger(store, generateIdentity());
    const tokens = new TokenStore(store.db, ledger);
    const catalog = new Catalog(store.db, ledger);
    const events = new EventHub();
    const token = tokens.create("admin", "bench", SYSTEM).token;
    const statuses = new Map<string, NodeStatusRecord>();

    log(`a site of ${NODES} nodes and ${SKUS.toLocaleString("en")} SKUs in stock…`);
    store.db.transaction(() => {
      for (let n = 0; n < SKUS; n++) {
        catalog.saveProduct(
          {
            sku: `SKU-${n}`,
            gtin: null,
            name: `Product ${n}`,
            unitPrice: { amount: 1000 + n, currency: "EUR" },
            unitCost: { amount: 600 + n, currency: "EUR" },
          },
          SYSTEM,
          "create",
        );
      }
    })();
    const perNode = SKUS / NODES;
    for (let n = 0; n < NODES; n++) {
      const id = `node-${n}`;
      store.enrollNode(id, generateIdentity().publicKeyHex);
      store.appendEntries(id, receipts(id, n * perNode, perNode));
      statuses.set(id, {
        receivedAt: new Date().toISOString(),
        status: {
          state: "online",
          node: id,
          version: "0.1.0",
          headSeq: perNode,
          ackedSeq: perNode,
          readers: [{ id: "r1", state: "reading" }],
          ts: new Date().toISOString(),
        },
      });
    }
    const server = await serveGateway(
      {
        store,
        ledger,
        tokens,
        catalog,
        events,
        brokerState: () => ({ state: "up" }),
        nodeStatus: (id) => statuses.get(id),
      },
      { host: "127.0.0.1", port: 0 },
    );
    // Loaded here, not at the top: playwright-core is a dev dependency, absent from a
    // release install, and `comptoir --help` loads this module for the bench summaries.
    const { chromium } = await import("playwright-core");
    const browser = await chromium.launch({
      executablePath,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-dev-shm-usage",
      ],
    });
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
      await context.addInitScript(
        `sessionStorage.setItem("comptoir.dashboard.token", ${JSON.stringify(token)})`,
      );
      const rounds = quick ? 3 : 7;

      log(`first render, ${rounds} cold loads of each page…`);
      const firstRender = async (path: string) => {
        const times: number[] = [];
        for (let i = 0; i < rounds; i++) {
          const page = await context.newPage();
          page.on("pageerror", (error) => log(`page error: ${error.message}`));
          await page.goto(`${server.url}/${path}`);
          await page.waitForSelector("body[data-ready=true]", { timeout: 120_000 });
          times.push(
            (await page.evaluate(
              `performance.getEntriesByName("comptoir:ready")[0].startTime`,
            )) as number,
          );
          log(`  ${path}: ${Math.round(times.at(-1) ?? 0)} ms`);
          await page.close();
        }
        return times.sort((a, b) => a - b);
      };
      const overview = await firstRender("#/overview");
      const stock = await firstRender("#/stock");
      const nodes = await firstRender("#/nodes");

      log("baseline: the same data fetched over REST and parsed in the page, nothing drawn…");
      const floor: number[] = [];
      for (let i = 0; i < rounds; i++) {
        const page = await context.newPage();
        await page.goto(`${server.url}/dashboard/assets/style.css`);
        floor.push(
          (await page.evaluate(`(async () => {
            const started = performance.now();
            const headers = { authorization: "Bearer " + sessionStorage.getItem("comptoir.dashboard.token") };
            await Promise.all(["/products", "/stock", "/nodes", "/movements?limit=1000"].map((path) =>
              fetch("/api/v1" + path, { headers }).then((r) => r.json())));
            return performance.now() - started;
          })()`)) as number,
        );
        await page.close();
      }
      floor.sort((a, b) => a - b);

      const samples = quick ? 30 : 200;
      log(`event to screen: ${samples} movements published while the Movements page is open…`);
      const page = await context.newPage();
      page.on("crash", () => log("the page crashed"));
      page.on("pageerror", (error) => log(`page error: ${error.message}`));
      await page.goto(`${server.url}/#/movements`);
      await page.waitForSelector("body[data-ready=true]");
      await page.waitForSelector("body[data-live=live]");
      // A bare WebSocket client in the same page: the transport's own delay, the baseline.
      await page.evaluate(`new Promise((resolve) => {
        window.benchArrived = new Map();
        const ws = new WebSocket("ws://" + location.host + "/ws");
        ws.onopen = () => ws.send(JSON.stringify({ type: "auth", token: sessionStorage.getItem("comptoir.dashboard.token") }));
        ws.onmessage = (m) => {
          const message = JSON.parse(m.data);
          if (message.type === "snapshot") resolve();
          if (message.type === "movement") window.benchArrived.set(message.data.epc, ${browserNow});
        };
      })`);
      const latency: number[] = [];
      const transport: number[] = [];
      for (let i = 0; i < samples; i++) {
        const epc = `3034FFFF${i.toString(16).toUpperCase().padStart(16, "0")}`;
        await page.evaluate(`window.benchShown = new Promise((resolve) => {
          const seen = () => document.querySelector('tr[data-epc="${epc}"]');
          const observer = new MutationObserver(() => {
            if (!seen()) return;
            observer.disconnect();
            requestAnimationFrame(() => resolve(${browserNow}));
          });
          observer.observe(document.body, { childList: true, subtree: true });
        });
        true`);
        const sent = performance.timeOrigin + performance.now();
        const now = new Date().toISOString();
        events.publish("movement", {
          chain: "node-1",
          seq: 1_000_000 + i,
          epc,
          sku: "SKU-1",
          gtin: null,
          kind: "putaway",
          from: "zone-1",
          to: "zone-2",
          at: now,
          receivedAt: now,
        });
        const shown = (await page.evaluate("window.benchShown")) as number;
        const arrived = (await page.evaluate(`window.benchArrived.get("${epc}")`)) as number;
        latency.push(shown - sent);
        transport.push(arrived - sent);
      }
      latency.sort((a, b) => a - b);
      transport.sort((a, b) => a - b);
      await page.close();

      const median = (sorted: number[]) => percentile(sorted, 50);
      return [
        result("first render, overview (median)", median(overview), "ms", median(floor), {
          atMost: 1000,
        }),
        result("first render, stock (median)", median(stock), "ms", median(floor), {
          atMost: 1000,
        }),
        result("first render, nodes (median)", median(nodes), "ms", median(floor), {
          atMost: 1000,
        }),
        result("event to screen (p50)", median(latency), "ms", median(transport), { atMost: 100 }),
        result("event to screen (p95)", percentile(latency, 95), "ms", percentile(transport, 95), {
          atMost: 100,
        }),
      ];
    } finally {
      await browser.close();
      await server.close();
      store.close();
      await rm(root, { recursive: true, force: true });
    }
  },
};
