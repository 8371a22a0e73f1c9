import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateIdentity } from "@comptoir/contracts";
import { describe, expect, it } from "vitest";
import { Store } from "../store/store.js";
import { enrollWithCredentials, NodeCredentials } from "./credentials.js";

async function openStore(): Promise<{ path: string; store: Store }> {
  const path = join(await mkdtemp(join(tmpdir(), "comptoir-credentials-")), "store.db");
  return { path, store: new Store(path) };
}

describe("node MQTT credentials", () => {
  it("issues a secret once, keeps only its hash, and verifies it after a restart", async () => {
    const { path, store } = await openStore();
    const credentials = new NodeCredentials(store.db);
    const { mqtt, node } = enrollWithCredentials(
      store,
      credentials,
      "dock-1",
      generateIdentity().publicKeyHex,
    );
    expect(node.id).toBe("dock-1");
    expect(mqtt.username).toBe("dock-1");
    expect(Buffer.from(mqtt.password, "base64url")).toHaveLength(32);
    const stored = store.db.prepare("SELECT * FROM node_credentials").all();
    expect(JSON.stringify(stored)).not.toContain(mqtt.password);
    store.close();

    const reopened = new Store(path);
    const again = new NodeCredentials(reopened.db);
    expect(again.verify("dock-1", mqtt.password)).toBe(true);
    expect(again.verify("dock-1", Buffer.from(mqtt.password))).toBe(true);
    expect(again.verify("dock-1", `${mqtt.password}x`)).toBe(false);
    expect(again.verify("dock-1", undefined)).toBe(false);
    expect(again.verify("shelf-1", mqtt.password)).toBe(false);
    reopened.close();
  });

  it("replaces the secret on a new issue, and revokes it", async () => {
    const { store } = await openStore();
    const credentials = new NodeCredentials(store.db);
    const first = credentials.issue("dock-1");
    const second = credentials.issue("dock-1");
    expect(second).not.toBe(first);
    expect(credentials.verify("dock-1", first)).toBe(false);
    expect(credentials.verify("dock-1", second)).toBe(true);
    expect(credentials.revoke("dock-1")).toBe(true);
    expect(credentials.has("dock-1")).toBe(false);
    expect(credentials.verify("dock-1", second)).toBe(false);
    store.close();
  });

  it("enrolls nothing when the node exists already: no second secret either", async () => {
    const { store } = await openStore();
    const credentials = new NodeCredentials(store.db);
    const key = generateIdentity().publicKeyHex;
    const { mqtt } = enrollWithCredentials(store, credentials, "dock-1", key);
    expect(() => enrollWithCredentials(store, credentials, "dock-1", key)).toThrow();
    expect(credentials.verify("dock-1", mqtt.password)).toBe(true);
    store.close();
  });
});
