import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { execStartNodeFlags, unitNodeFlags } from "./unit-flags.js";

const ROOT = join(import.meta.dirname, "..", "..", "..");

describe("the node flags a bench runs a node with", () => {
  it("are those the installed node unit starts node with", async () => {
    // What bench node-memory and bench start measure is what a Pi runs.
    expect(await unitNodeFlags(ROOT, "comptoir-node.service")).toEqual([
      "--max-semi-space-size=1",
      "--optimize-for-size",
      "--v8-pool-size=1",
      "--no-opt",
    ]);
  });

  it("are none for a unit that runs plain node, and undefined without the unit", async () => {
    expect(
      execStartNodeFlags(
        "[Service]\nExecStart=/usr/bin/node /opt/comptoir/dist/comptoir.mjs gateway --config x\n",
      ),
    ).toEqual([]);
    expect(await unitNodeFlags(ROOT, "no-such.service")).toBeUndefined();
  });

  it("says so when ExecStart does not run a bundle", () => {
    expect(() => execStartNodeFlags("ExecStart=/bin/true\n")).toThrow(/does not run a .mjs bundle/);
  });
});
