import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeProblem } from "@comptoir/contracts";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfigFile } from "./load.js";
import { NodeConfigSchema } from "./node.js";

const dir = mkdtempSync(join(tmpdir(), "comptoir-config-"));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function problemsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map(describeProblem);
    throw error;
  }
  throw new Error("expected a ConfigError");
}

const goodYaml = `
node:
  id: dock-1
  site: lyon-1
  role: portal
readers:
  - id: door-a
    protocol: thingmagic
    url: serial:///dev/serial/by-id/usb-reader-if00?baud=115200
    antennas:
      - { port: 1, zone: outside }
      - { port: 2, zone: inside }
`;

describe("config loading", () => {
  it("reads YAML, fills defaults, and keeps what the file says", () => {
    const { config, warnings } = loadConfigFile(file("good.yaml", goodYaml), NodeConfigSchema, {});
    expect(config.node).toEqual({
      id: "dock-1",
      site: "lyon-1",
      role: "portal",
      dataDir: "./data",
      locale: "en-GB",
      currency: "EUR",
    });
    expect(config.readers[0]?.antennas[1]).toEqual({ port: 2, zone: "inside" });
    expect(config.ledger).toMatchObject({ fsync: "group", checkpointEvery: 1000 });
    // Not filled in: the node's role decides (1 s on a shelf, 10 ms elsewhere).
    expect(config.ledger.groupCommitMs).toBeUndefined();
    expect(config.mqtt.url).toBe("mqtt://127.0.0.1:1883");
    expect(warnings).toEqual([]);
  });

  it("reads JSON too", () => {
    const path = file(
      "good.json",
      JSON.stringify({ node: { id: "pos-1", site: "lyon-1", role: "counter" } }),
    );
    expect(loadConfigFile(path, NodeConfigSchema, {}).config.node.role).toBe("counter");
  });

  it("lists every problem of a broken file, each by its path", () => {
    const broken = file(
      "broken.yaml",
      `
node:
  id: "dock 1"
  role: forklift
readers:
  - id: door-a
    protocol: thingmagic
    url: /dev/ttyUSB0
    antennas:
      - { port: 1 }
      - { port: 0, zone: inside }
ledger:
  fsync: sometimes
  colour: blue
`,
    );
    expect(problemsOf(() => loadConfigFile(broken, NodeConfigSchema, {}))).toEqual([
      expect.stringMatching(/^node\.id: must be/),
      expect.stringMatching(/^node\.site: /),
      expect.stringMatching(/^node\.role: /),
      expect.stringMatching(/^readers\[0\]\.url: must be serial/),
      expect.stringMatching(/^readers\[0\]\.antennas\[0\]\.zone: /),
      expect.stringMatching(/^readers\[0\]\.antennas\[1\]\.port: /),
      expect.stringMatching(/^ledger\.fsync: /),
      expect.stringMatching(/^ledger: .*colour/),
    ]);
  });

  it("says where YAML syntax breaks and when the file cannot be read", () => {
    expect(
      problemsOf(() =>
        loadConfigFile(file("syntax.yaml", "node:\n  id: [dock\n"), NodeConfigSchema, {}),
      ),
    ).toEqual([expect.stringMatching(/not valid YAML at line \d+, column \d+/)]);
    expect(
      problemsOf(() => loadConfigFile(join(dir, "missing.yaml"), NodeConfigSchema, {})),
    ).toEqual(["cannot read the file: no such file"]);
  });

  it("applies COMPTOIR_* overrides in memory, typed by the schema, and never writes them back", () => {
    const path = file("override.yaml", goodYaml);
    const before = readFileSync(path, "utf8");
    const env = {
      COMPTOIR_MQTT_URL: "mqtt://broker.local:1884",
      COMPTOIR_NODE_DATA_DIR: "/var/lib/comptoir",
      COMPTOIR_LEDGER_GROUP_COMMIT_MS: "5",
      COMPTOIR_READERS_0_ANTENNAS_1_ZONE: "dock-in",
      COMPTOIR_NODE_ID: "12345",
      COMPTOIR_MQTT_URLL: "typo",
      PATH: "/usr/bin",
    };
    const { config, warnings } = loadConfigFile(path, NodeConfigSchema, env);
    expect(config.mqtt.url).toBe("mqtt://broker.local:1884");
    expect(config.node.dataDir).toBe("/var/lib/comptoir");
    expect(config.node.id).toBe("12345");
    expect(config.ledger.groupCommitMs).toBe(5);
    expect(config.readers[0]?.antennas[1]?.zone).toBe("dock-in");
    expect(warnings).toEqual([
      "COMPTOIR_MQTT_URLL names no setting of this configuration; ignored",
    ]);
    expect(readFileSync(path, "utf8")).toBe(before);
  });

  it("names the variable when an override is what is wrong", () => {
    const path = file("bad-override.yaml", goodYaml);
    expect(
      problemsOf(() => loadConfigFile(path, NodeConfigSchema, { COMPTOIR_LEDGER_FSYNC: "never" })),
    ).toEqual([expect.stringMatching(/^ledger\.fsync \(from COMPTOIR_LEDGER_FSYNC\): /)]);
  });
});
