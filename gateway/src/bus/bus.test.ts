import { describe, expect, it } from "vitest";
import { topicMatches } from "./bus.js";

describe("topicMatches", () => {
  it.each([
    ["comptoir/s1/node/+/ledger", "comptoir/s1/node/dock-1/ledger", true],
    ["comptoir/s1/node/+/ledger", "comptoir/s1/node/dock-1/status", false],
    ["comptoir/s1/node/+/ledger", "comptoir/s1/node/dock-1/ledger/x", false],
    ["comptoir/s1/node/+/ledger", "comptoir/s1/node/ledger", false],
    ["comptoir/s1/#", "comptoir/s1", true],
    ["comptoir/s1/#", "comptoir/s1/credit/C-1", true],
    ["comptoir/s1/#", "comptoir/s2/credit/C-1", false],
    ["#", "$SYS/broker/uptime", false],
    ["+/broker", "$SYS/broker", false],
    ["comptoir/s1/catalog", "comptoir/s1/catalog", true],
    ["comptoir/s1/catalog", "comptoir/s1/catalogue", false],
  ])("%s against %s: %s", (filter, topic, expected) => {
    expect(topicMatches(filter, topic)).toBe(expected);
  });
});
