import { describe, expect, it } from "vitest";
import { toProblems } from "../issues.js";
import { generateIdentity } from "../ledger/keys.js";
import { buildChain } from "../ledger/testing/chain.js";
import { LedgerBatchSchema } from "./messages.js";
import { parseTopic, siteTopics } from "./topics.js";

describe("MQTT topics", () => {
  const topics = siteTopics("lyon-1");

  it("builds the topics of interfaces.md under comptoir/<site>/", () => {
    expect(topics.nodeLedger("dock-1")).toBe("comptoir/lyon-1/node/dock-1/ledger");
    expect(topics.nodeStatus("dock-1")).toBe("comptoir/lyon-1/node/dock-1/status");
    expect(topics.nodeAck("dock-1")).toBe("comptoir/lyon-1/node/dock-1/ack");
    expect(topics.nodeCmd("dock-1")).toBe("comptoir/lyon-1/node/dock-1/cmd");
    expect(topics.credit("C-1042")).toBe("comptoir/lyon-1/credit/C-1042");
    expect(topics.catalog()).toBe("comptoir/lyon-1/catalog");
    expect(topics.locale()).toBe("comptoir/lyon-1/locale");
    expect(topics.allNode("ledger")).toBe("comptoir/lyon-1/node/+/ledger");
  });

  it("parses its own topics back, and nothing else", () => {
    expect(parseTopic(topics.nodeAck("dock-1"))).toEqual({
      site: "lyon-1",
      kind: "ack",
      node: "dock-1",
    });
    expect(parseTopic(topics.credit("C-1042"))).toEqual({
      site: "lyon-1",
      kind: "credit",
      customer: "C-1042",
    });
    expect(parseTopic(topics.catalog())).toEqual({ site: "lyon-1", kind: "catalog" });
    expect(parseTopic(topics.locale())).toEqual({ site: "lyon-1", kind: "locale" });
    expect(parseTopic("comptoir/lyon-1/node/dock-1/other")).toBeUndefined();
    expect(parseTopic("other/lyon-1/catalog")).toBeUndefined();
  });

  it("refuses ids that would escape their topic level", () => {
    expect(() => topics.nodeLedger("dock/1")).toThrow(/cannot be an MQTT topic level/);
    expect(() => topics.credit("+")).toThrow(/cannot be an MQTT topic level/);
    expect(() => siteTopics("#")).toThrow(/cannot be an MQTT topic level/);
  });
});

describe("ledger batch payload", () => {
  const entries = buildChain("dock-1", generateIdentity(), 5, 10);

  it("accepts consecutive entries of the publishing node", () => {
    expect(LedgerBatchSchema.safeParse({ node: "dock-1", entries }).success).toBe(true);
  });

  it("names each entry that does not belong, by path", () => {
    const result = LedgerBatchSchema.safeParse({
      node: "dock-2",
      entries: [entries[0], entries[2]],
    });
    expect(result.success).toBe(false);
    const problems = toProblems(result.error?.issues ?? []).map((p) => p.path);
    expect(problems).toEqual(["entries[0].chain", "entries[1].chain", "entries[1].seq"]);
  });
});
