import { verifyPin } from "@comptoir/device";
import { NodeConfigSchema } from "@comptoir/firmware-config";
import { describe, expect, it } from "vitest";
import { runCli } from "./support/run-cli.js";

describe("comptoir pos hash-pin", () => {
  it("prints a salted hash the node config accepts and the node verifies; never the PIN", async () => {
    const first = await runCli(["pos", "hash-pin", "482193"]);
    const second = await runCli(["pos", "hash-pin", "482193"]);
    expect(first.code).toBe(0);
    const hash = first.stdout.trim();
    expect(hash).toMatch(/^scrypt\$/);
    expect(hash).not.toContain("482193");
    // Salted: the same PIN never gives the same line twice.
    expect(second.stdout.trim()).not.toBe(hash);
    expect(await verifyPin("482193", hash)).toBe(true);
    expect(await verifyPin("482194", hash)).toBe(false);
    const config = NodeConfigSchema.parse({
      node: { id: "pos-1", site: "lyon-1", role: "counter" },
      pos: { supervisors: [{ id: "sup-1", name: "Claire", pinHash: hash }] },
    });
    expect(config.pos?.supervisors[0]?.pinHash).toBe(hash);
  });

  it("refuses a PIN that is not 6 to 12 digits, and a config holding a PIN instead of its hash", async () => {
    const bad = await runCli(["pos", "hash-pin", "12a456"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("a PIN is 6 to 12 digits");
    expect(bad.stdout).toBe("");
    const short = await runCli(["pos", "hash-pin", "4821"]);
    expect(short.code).toBe(2);
    expect(short.stderr).toContain("4 digits are too few");
    expect(short.stdout).toBe("");
    const config = NodeConfigSchema.safeParse({
      node: { id: "pos-1", site: "lyon-1", role: "counter" },
      pos: { supervisors: [{ id: "sup-1", name: "Claire", pinHash: "4821" }] },
    });
    expect(config.success).toBe(false);
    expect(config.error?.issues[0]?.path).toEqual(["pos", "supervisors", 0, "pinHash"]);
    expect(config.error?.issues[0]?.message).toContain("this is a PIN, not its hash");
    expect(config.error?.issues[0]?.message).toContain("4 digits are too few");
  });
});
