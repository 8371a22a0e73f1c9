import { describe, expect, it } from "vitest";
import { nodeMayPublish, nodeMaySubscribe } from "./acl.js";

describe("node topic ACL", () => {
  it("lets a node publish its own ledger and status, and nothing else", () => {
    expect(nodeMayPublish("s1", "dock-1", "comptoir/s1/node/dock-1/ledger")).toBe(true);
    expect(nodeMayPublish("s1", "dock-1", "comptoir/s1/node/dock-1/status")).toBe(true);
    for (const topic of [
      "comptoir/s1/node/shelf-1/ledger",
      "comptoir/s1/node/shelf-1/status",
      "comptoir/s1/node/dock-1/ack",
      "comptoir/s1/node/dock-1/cmd",
      "comptoir/s2/node/dock-1/ledger",
      "comptoir/s1/credit/C-1",
      "comptoir/s1/orders/SO-1001",
      "comptoir/s1/catalog",
      "comptoir/s1/node/dock-1/ledger/extra",
      "other/s1/node/dock-1/ledger",
      "$SYS/broker",
    ])
      expect(nodeMayPublish("s1", "dock-1", topic), topic).toBe(false);
  });

  it("lets a node read its ack and cmd, and the site's credit, orders, catalog and locale", () => {
    for (const filter of [
      "comptoir/s1/node/dock-1/ack",
      "comptoir/s1/node/dock-1/cmd",
      "comptoir/s1/credit/+",
      "comptoir/s1/credit/C-1042",
      "comptoir/s1/orders/+",
      "comptoir/s1/orders/SO-1001",
      "comptoir/s1/catalog",
      "comptoir/s1/locale",
    ])
      expect(nodeMaySubscribe("s1", "dock-1", filter), filter).toBe(true);
    for (const filter of [
      "comptoir/s1/node/shelf-1/ack",
      "comptoir/s1/node/shelf-1/cmd",
      "comptoir/s1/node/+/ack",
      "comptoir/s1/node/dock-1/+",
      "comptoir/s1/node/shelf-1/ledger",
      "comptoir/s1/node/dock-1/ledger",
      "comptoir/s1/#",
      "#",
      "comptoir/s2/catalog",
      "comptoir/s2/locale",
      "comptoir/s2/credit/+",
      "comptoir/s2/orders/+",
      "comptoir/s2/orders/SO-1001",
      "comptoir/+/orders/+",
      "comptoir/s1/orders/#",
      "comptoir/s1/orders/+/x",
      "comptoir/+/catalog",
      "$SYS/#",
    ])
      expect(nodeMaySubscribe("s1", "dock-1", filter), filter).toBe(false);
  });
});
