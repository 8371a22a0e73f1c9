import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateIdentity, siteTopics } from "@comptoir/contracts";
import { afterEach, describe, expect, it } from "vitest";
import { enrollWithCredentials, NodeCredentials } from "../broker/credentials.js";
import { startEmbeddedBroker } from "../broker/embedded.js";
import { Store } from "../store/store.js";
import { connectExternalBus } from "./external.js";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === "object" && address ? address.port : 0;
}

/** An MQTT broker with ACLs to play the external one: the embedded broker, with a node's login. */
async function brokerWithLogin() {
  const dir = await mkdtemp(join(tmpdir(), "comptoir-external-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const store = new Store(join(dir, "store.db"));
  cleanups.push(async () => store.close());
  const credentials = new NodeCredentials(store.db);
  const broker = await startEmbeddedBroker({ site: "s1", port: 0, nodes: store, credentials });
  cleanups.push(() => broker.close());
  const { mqtt } = enrollWithCredentials(
    store,
    credentials,
    "dock-1",
    generateIdentity().publicKeyHex,
  );
  return { url: broker.url, ...mqtt, stopBroker: () => broker.close() };
}

describe("external broker bus", () => {
  it("says where it could not connect and what to check", async () => {
    const port = await closedPort();
    await expect(
      connectExternalBus({ url: `mqtt://127.0.0.1:${port}`, clientId: "comptoir-gateway-s1" }),
    ).rejects.toThrow(
      new RegExp(
        `^cannot connect to the MQTT broker at mqtt://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED.* — check mqtt\\.url`,
      ),
    );
  });

  it("names the broker without the user and password of mqtt.url", async () => {
    const port = await closedPort();
    const error = await connectExternalBus({
      url: `mqtt://gw-user:url-secret@127.0.0.1:${port}`,
      clientId: "comptoir-gateway-s1",
    }).catch((caught: unknown) => caught as Error);
    expect((error as Error).message).toContain(`mqtt://127.0.0.1:${port}`);
    expect((error as Error).message).not.toMatch(/gw-user|url-secret/);
  });

  it("says the broker refused its login, without showing the password", async () => {
    const login = await brokerWithLogin();
    const error = await connectExternalBus({
      url: login.url,
      clientId: login.username,
      username: login.username,
      password: "wrong-secret",
    }).catch((caught: unknown) => caught as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/Bad username or password/);
    expect((error as Error).message).not.toContain("wrong-secret");
  });

  it("fails a subscription the broker refuses, naming the filter, and makes those it allows", async () => {
    const login = await brokerWithLogin();
    const bus = await connectExternalBus({ ...login, clientId: login.username });
    cleanups.push(() => bus.close());
    const topics = siteTopics("s1");
    await expect(bus.subscribe(topics.allNode("ledger"), () => {})).rejects.toThrow(
      "the MQTT broker refused the gateway's subscription to comptoir/s1/node/+/ledger — allow the gateway's user to read it in the broker's ACL",
    );
    await expect(bus.subscribe(topics.nodeAck("dock-1"), () => {})).resolves.toBeUndefined();
  });

  it("closes while the broker is down, a publish still waiting for its confirmation", async () => {
    const login = await brokerWithLogin();
    const bus = await connectExternalBus({ ...login, clientId: login.username });
    const offline = new Promise<void>((resolve) => bus.client.once("offline", () => resolve()));
    // The node's login may not publish on its own ack topic: the broker drops the
    // connection instead of confirming, and mqtt.js keeps the message for the next one.
    void bus.publish(siteTopics("s1").nodeAck("dock-1"), "{}", { qos: 1 }).catch(() => {});
    await login.stopBroker();
    await offline;
    expect(Object.keys(bus.client.outgoing)).toHaveLength(1);
    await bus.close();
    expect(bus.client.connected).toBe(false);
  }, 15_000);
});
