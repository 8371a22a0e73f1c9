import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { CliIO } from "./command.js";
import { loadOrExplain, summaryOf } from "./command-load.js";

/** An import of a package that is not installed, as Node reports it. */
async function importMissing(): Promise<never> {
  const name = "comptoir-no-such-package";
  await import(/* @vite-ignore */ name);
  throw new Error("unreachable");
}

function io(): { io: CliIO; stderr: () => string } {
  let text = "";
  const stderr = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return {
    io: { stdout: stderr, stderr, env: {}, verbose: false, waitForStop: async () => "SIGTERM" },
    stderr: () => text,
  };
}

describe("a command whose code needs a package this installation lacks", () => {
  const entry = { name: "gateway", load: importMissing };

  it("says which package is missing and how to install it, instead of a stack trace", async () => {
    const out = io();
    expect(await loadOrExplain(entry, out.io)).toBeUndefined();
    expect(out.stderr()).toMatch(
      /^comptoir gateway: needs the package comptoir-no-such-package, which this installation does not have — .*COMPTOIR_ROLE=gateway/,
    );
  });

  it("is listed as unavailable, so that comptoir --help still works", async () => {
    expect(await summaryOf(entry)).toBe(
      "(not available in this installation: needs comptoir-no-such-package, see INSTALL.md)",
    );
  });

  it("lets any other failure through", async () => {
    const broken = {
      name: "node",
      load: async () => {
        throw new Error("a bug");
      },
    };
    await expect(loadOrExplain(broken, io().io)).rejects.toThrow("a bug");
    await expect(summaryOf(broken)).rejects.toThrow("a bug");
  });
});
