import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { main } from "@comptoir/cli";
import { afterEach, describe, expect, it } from "vitest";

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const quiet = (keep?: string[]) =>
  new Writable({
    write(chunk, _encoding, done) {
      keep?.push(String(chunk));
      done();
    },
  });

describe("comptoir node --config FILE", () => {
  it("takes a relative ledger.dir from the config file's folder, not from where it runs (as node new-epoch does)", async () => {
    dir = await mkdtemp(join(tmpdir(), "comptoir-node-paths-"));
    const file = join(dir, "node.json");
    await writeFile(
      file,
      JSON.stringify({
        node: { id: "dock-1", site: "lyon-1", role: "station", dataDir: "./data" },
        readers: [],
        mqtt: { url: "mqtt://127.0.0.1:1" },
        ledger: { dir: "./ledger-here" },
        http: { listen: "127.0.0.1:0" },
        log: { level: "silent" },
      }),
    );
    const said: string[] = [];
    const io = { stdout: quiet(said), stderr: quiet(said), env: {} };
    expect(await main(["node", "init", "--config", file], io)).toBe(0);
    const code = await main(["node", "--config", file], {
      ...io,
      waitForStop: async () => "SIGTERM",
    });
    expect(code, said.join("")).toBe(0);
    expect(existsSync(join(dir, "ledger-here"))).toBe(true);
    expect(existsSync(join(process.cwd(), "ledger-here"))).toBe(false);
  });
});
