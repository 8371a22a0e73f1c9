import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateIdentity, type NodeStatus } from "@comptoir/contracts";
import {
  ClockFlags,
  ClockSkewWatch,
  EventHub,
  GatewayLedger,
  type GatewayServer,
  type NodeStatusRecord,
  Store,
  serveGateway,
  TokenStore,
} from "@comptoir/gateway";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./support/chromium.js";
import { go, signIn } from "./support/dashboard-page.js";

// The dashboard's Nodes page in a real headless Chromium against a real gateway
// (SQLite in a temp dir, live feed on /ws): a node's clock skew, flagged live.

let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
let server: GatewayServer | undefined;
let dir = "";

beforeAll(async () => {
  browser = await launchChromium({ locale: "en-US", timezoneId: "UTC" });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const status = (node: string, ts: Date): NodeStatus => ({
  state: "online",
  node,
  version: "0.1.0",
  headSeq: 0,
  ackedSeq: 0,
  readers: [],
  ts: ts.toISOString(),
});

describe("the dashboard's Nodes page and node clocks", () => {
  it("shows each node's skew, and flags a node live when its clock runs 10 minutes behind, until it clears", async () => {
    dir = await mkdtemp(join(tmpdir(), "comptoir-dashboard-clock-"));
    const store = new Store(join(dir, "gateway.db"));
    const ledger = new GatewayLedger(store, generateIdentity());
    const tokens = new TokenStore(store.db, ledger);
    const viewer = tokens.create("viewer", "wall screen", { kind: "system", id: "test" }).token;
    const events = new EventHub();
    const clocks = new ClockSkewWatch(new ClockFlags(store.db), { sink: events });
    const statuses = new Map<string, NodeStatusRecord>();
    /** A live status arriving now, its node's clock `skewMs` off. */
    const arrives = (node: string, skewMs: number) => {
      const now = new Date();
      const record = {
        status: status(node, new Date(now.getTime() + skewMs)),
        receivedAt: now.toISOString(),
      };
      statuses.set(node, record);
      clocks.observe(node, record);
    };
    for (const id of ["dock-1", "till-1"]) store.enrollNode(id, generateIdentity().publicKeyHex);
    arrives("dock-1", 400);
    arrives("till-1", 1200);
    server = await serveGateway(
      {
        store,
        ledger,
        tokens,
        events,
        nodeStatus: (id) => statuses.get(id),
        nodeClock: (id) => clocks.view(id),
      },
      { host: "127.0.0.1", port: 0 },
    );
    const page = await (browser as NonNullable<typeof browser>).context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(error.message));
    await page.goto(server.url);
    await signIn(page, viewer);
    await go(page, "nodes");
    await page.waitForSelector("tr[data-node=till-1] [data-clock=ok]");
    expect(await page.textContent("tr[data-node=till-1] .clock")).toBe("+1.2 s");

    // The till rebooted after a power cut without NTP: its next status is 10 minutes behind.
    arrives("till-1", -600_000);
    await page.waitForSelector("tr[data-node=till-1] [data-clock=flagged]");
    const cell = await page.textContent("tr[data-node=till-1] .clock");
    expect(cell).toContain("clock skewed");
    expect(cell).toContain("\u221210 min 0 s");
    expect(cell).toContain("over 120 s");
    expect(await page.textContent("tr[data-node=dock-1] .clock")).toBe("+0.4 s");

    // NTP synced: cleared on the next status, live too.
    arrives("till-1", 300);
    await page.waitForSelector("tr[data-node=till-1] [data-clock=ok]");
    expect(await page.textContent("tr[data-node=till-1] .clock")).toBe("+0.3 s");
    expect(problems).toEqual([]);
    store.close();
  });
});
