import { join } from "node:path";

/** The simulated site's nodes: one of each kind of reader, each speaking another protocol. */
export const DEMO_SITE = "demo";

export interface DemoNodeSpec {
  id: string;
  role: "portal" | "shelf" | "counter";
  protocol: "thingmagic" | "r2000" | "line";
  reader: string;
  antennas: { port: number; zone: string }[];
  smoothing?: Record<string, number | string>;
}

/**
 * Two tills, so that a person and the simulated clerk never share a basket:
 * the POS page the demo prints is the person's counter, which nothing
 * simulated touches; the simulated clerk sells at its own counter, with its
 * own reader and zone.
 */
export const PERSON_COUNTER = "counter-1";
export const SIMULATED_COUNTER = "counter-2";

/** The dock door: a portal whose reader has an antenna outside (yard) and one inside (dock). */
export const DEMO_DOCK: DemoNodeSpec = {
  id: "dock-1",
  role: "portal",
  protocol: "thingmagic",
  reader: "door",
  antennas: [
    { port: 1, zone: "yard" },
    { port: 2, zone: "dock" },
  ],
};

export const DEMO_NODES: readonly DemoNodeSpec[] = [
  DEMO_DOCK,
  {
    id: "shelf-1",
    role: "shelf",
    protocol: "r2000",
    reader: "shelves",
    antennas: [
      { port: 1, zone: "bay-1" },
      { port: 2, zone: "bay-2" },
    ],
    // Shelf readers take turns between antennas over many tags: a tag may
    // go a second or two between reads without having moved.
    smoothing: { glimpsedTimeoutMs: 2500, lostTimeoutMs: 5000 },
  },
  {
    id: PERSON_COUNTER,
    role: "counter",
    protocol: "line",
    reader: "counter",
    antennas: [{ port: 1, zone: "counter" }],
  },
  {
    id: SIMULATED_COUNTER,
    role: "counter",
    protocol: "line",
    reader: "counter-2",
    antennas: [{ port: 1, zone: "counter-2" }],
  },
];

/** A node config's `readers` entry for `spec`'s reader, served at `url`. */
export function readerConfig(spec: DemoNodeSpec, url: string) {
  return { id: spec.reader, protocol: spec.protocol, url, antennas: spec.antennas };
}

/** Where a demo keeps what it needs to resume after a restart. */
export function demoPaths(root: string) {
  return {
    root,
    gatewayConfig: join(root, "gateway", "gateway.yaml"),
    gatewayData: join(root, "gateway", "data"),
    adminToken: join(root, "admin-token"),
    world: join(root, "world.json"),
    /** The folder shared with the ERP (the gateway's fileDrop.directory). */
    exchange: join(root, "exchange"),
    /** Every webhook the simulated ERP received, one JSON line each. */
    erpJournal: join(root, "erp", "webhooks.jsonl"),
    nodeConfig: (id: string) => join(root, "nodes", id, "node.yaml"),
    nodeData: (id: string) => join(root, "nodes", id, "data"),
  };
}
