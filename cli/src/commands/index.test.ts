import { describe, expect, it } from "vitest";
import { commands } from "./index.js";

describe("the lazy command list", () => {
  it("names each entry as the command it loads, once", async () => {
    const loaded = await Promise.all(commands.map((entry) => entry.load()));
    expect(loaded.map((command) => command.name)).toEqual(commands.map((entry) => entry.name));
    expect(new Set(commands.map((entry) => entry.name)).size).toBe(commands.length);
  });
});
