import { execFileSync, spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const UNITS = join(import.meta.dirname, "..", "firmware-config", "systemd");
const BIN = join(import.meta.dirname, "..", "bin", "comptoir.mjs");

/** The unit's [Service] settings, each key with every value it was given. */
async function service(unit: string): Promise<Map<string, string[]>> {
  const settings = new Map<string, string[]>();
  let section = "";
  for (const raw of (await readFile(join(UNITS, unit), "utf8")).split("\n")) {
    const line = raw.trim();
    if (line.startsWith("[")) section = line;
    const match = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (section !== "[Service]" || !match) continue;
    const [, key = "", value = ""] = match;
    settings.set(key, [...(settings.get(key) ?? []), value]);
  }
  return settings;
}

const has = (tool: string) => spawnSync(tool, ["--version"], { stdio: "ignore" }).status === 0;

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe.each([
  ["comptoir-node.service", "node", "/etc/comptoir/node.yaml"],
  ["comptoir-gateway.service", "gateway", "/etc/comptoir/gateway.yaml"],
])("%s", (unit, command, config) => {
  it("runs the installed bundle's command, as comptoir, notifying systemd and watched by it", async () => {
    const settings = await service(unit);
    // The node keeps its V8 heap small on a Pi (see comptoir bench node-memory).
    const flags =
      command === "node"
        ? "--max-semi-space-size=1 --optimize-for-size --v8-pool-size=1 --no-opt "
        : "";
    expect(settings.get("ExecStart")).toEqual([
      `/usr/bin/node ${flags}/opt/comptoir/dist/comptoir.mjs ${command} --config ${config}`,
    ]);
    expect(settings.get("Type")).toEqual(["notify"]);
    // READY and the pings come from a systemd-notify child of the main process.
    expect(settings.get("NotifyAccess")).toEqual(["all"]);
    // SIGTERM to the main process only, so that child is not killed mid-STOPPING=1.
    expect(settings.get("KillMode")).toEqual(["mixed"]);
    expect(settings.get("WatchdogSec")).toEqual(["30s"]);
    expect(settings.get("Restart")).toEqual(["on-failure"]);
    expect(settings.get("User")).toEqual(["comptoir"]);
    expect(settings.get("ProtectSystem")).toEqual(["strict"]);
    expect(settings.get("ReadWritePaths")).toEqual(["/var/lib/comptoir"]);
    expect(settings.get("SupplementaryGroups")).toEqual(
      command === "node" ? ["dialout"] : undefined,
    );
  });

  it("names a command and option the CLI has", () => {
    // `comptoir <command> --help` exits 0 only for a command that exists; --config is in its usage.
    const help = execFileSync(process.execPath, [BIN, command, "--help"], { encoding: "utf8" });
    expect(help).toContain("--config FILE");
  });

  it.skipIf(!has("systemd-analyze"))(
    "passes systemd-analyze verify, and its security exposure stays OK (below 3 of 10)",
    async () => {
      dir = await mkdtemp(join(tmpdir(), "comptoir-units-"));
      // verify checks that ExecStart's binary exists: point it at this Node, as install.sh does.
      const text = (await readFile(join(UNITS, unit), "utf8")).replace(
        "/usr/bin/node ",
        `${process.execPath} `,
      );
      const file = join(dir, unit);
      await writeFile(file, text);
      const verify = spawnSync("systemd-analyze", ["verify", file], { encoding: "utf8" });
      expect(verify.stderr).toBe("");
      expect(verify.status).toBe(0);
      const security = spawnSync(
        "systemd-analyze",
        ["security", "--offline=true", "--threshold=30", "--no-pager", file],
        { encoding: "utf8" },
      );
      // --offline came with systemd 250: older ones say so on stderr and the check is moot.
      if (/unrecognized option/.test(security.stderr)) return;
      expect(security.status, security.stdout.split("\n").slice(-3).join("\n")).toBe(0);
    },
  );
});
