import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readPem, readPemFile } from "./pem.js";

const PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
let dir = "";

afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = "";
});

describe("readPem", () => {
  it("takes a PEM given inline as it is, without looking for a file", async () => {
    expect((await readPem(`  ${PEM}`, "mqtt.ca", "node")).toString()).toBe(`  ${PEM}`);
  });

  it("reads the file a setting names", async () => {
    dir = await mkdtemp(join(tmpdir(), "comptoir-pem-"));
    await writeFile(join(dir, "ca.pem"), PEM);
    expect((await readPem(join(dir, "ca.pem"), "mqtt.ca", "node")).toString()).toBe(PEM);
  });

  it("names the setting, the path, why and whose user must read it", async () => {
    await expect(readPemFile("/nowhere/key.pem", "tls.key", "gateway")).rejects.toThrow(
      "cannot read tls.key /nowhere/key.pem: ENOENT — check the path in the gateway config and that the gateway's user may read it",
    );
    await expect(readPem("/nowhere/ca.pem", "mqtt.ca", "node")).rejects.toThrow(
      /check the path in the node config and that the node's user may read it$/,
    );
  });
});
