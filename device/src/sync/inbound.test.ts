import {
  type CreditSnapshot,
  generateIdentity,
  type NodeCommand,
  signGatewayPayload,
  siteTopics,
} from "@comptoir/contracts";
import { s1Snapshot } from "@comptoir/contracts/testing";
import { afterEach, describe, expect, it } from "vitest";
import type { LedgerSync } from "./sync.js";
import { startBroker, type TestBroker } from "./testing/broker.js";
import { NODE, NodeFixture, SITE } from "./testing/fixture.js";
import { VerifyingGateway } from "./testing/gateway.js";
import { eventually, recordBatches } from "./testing/record.js";

const fixture = new NodeFixture();
let broker: TestBroker | undefined;

/** What the node takes from the gateway from now on, and what it refuses. */
function received(sync: LedgerSync) {
  const refused: string[] = [];
  sync.on("refused", (_topic, problem) => refused.push(problem));
  const commands: NodeCommand[] = [];
  sync.on("command", (command) => commands.push(command));
  const credits: CreditSnapshot[] = [];
  sync.on("credit", (snapshot) => credits.push(snapshot));
  return { refused, commands, credits };
}

afterEach(async () => {
  await fixture.cleanup();
  await broker?.stop();
  broker = undefined;
});

describe("messages from the gateway", () => {
  it("logs and ignores bad acks and commands, and changes nothing", async () => {
    broker = await startBroker();
    const batches = recordBatches(broker.aedes, SITE, NODE);
    await fixture.open();
    await fixture.append(100);
    const gateway = await VerifyingGateway.start({ url: broker.url, site: SITE, node: NODE });
    fixture.defer(() => gateway.close());
    const sync = await fixture.sync(broker.url);
    await gateway.until(() => gateway.head.seq === 100);
    await eventually(() => sync.ackedSeq === 100 && batches.at(-1)?.last === 100);
    const sent = batches.length;
    const { refused, commands } = received(sync);

    const badAcks = [
      "not json",
      "",
      "[]",
      JSON.stringify({ type: "ack", seq: "100" }),
      JSON.stringify({ type: "ack", seq: -1 }),
      JSON.stringify({ type: "ack", seq: 100, extra: true }),
      JSON.stringify({ type: "ack", seq: 5000 }),
      JSON.stringify({ type: "resend", from: 0 }),
      JSON.stringify({ type: "resend", from: 102 }),
    ];
    const badCommands = [
      "{",
      JSON.stringify({ type: "explode" }),
      JSON.stringify({ type: "resend", from: 9999 }),
      JSON.stringify({ type: "readers", action: "dance" }),
    ];
    for (const payload of badAcks) await gateway.sendAck(payload);
    for (const payload of badCommands) await gateway.sendCommand(payload);
    await eventually(() => refused.length === badAcks.length + badCommands.length);

    expect(refused.filter((problem) => problem === "not JSON")).toHaveLength(3);
    expect(
      refused.filter((problem) => problem.includes("beyond the ledger's durable head")),
    ).toHaveLength(3);
    expect(sync.ackedSeq).toBe(100);
    expect(sync.connected).toBe(true);

    // A good command after the bad ones still works, and is handed to the node.
    await gateway.sendCommand(JSON.stringify({ type: "reload-config" }));
    await eventually(() => commands.length === 1);
    expect(commands).toEqual([{ type: "reload-config" }]);
    expect(batches).toHaveLength(sent);
    expect(gateway.duplicates).toBe(0);
  });

  it("takes a lower ack as authoritative and sends again from it", async () => {
    broker = await startBroker();
    const batches = recordBatches(broker.aedes, SITE, NODE);
    await fixture.open();
    await fixture.append(100);
    const gateway = await VerifyingGateway.start({ url: broker.url, site: SITE, node: NODE });
    fixture.defer(() => gateway.close());
    const sync = await fixture.sync(broker.url);
    await eventually(() => sync.ackedSeq === 100 && batches.at(-1)?.last === 100);
    batches.length = 0;
    await gateway.sendAck(JSON.stringify({ type: "ack", seq: 40 }));
    await eventually(() => batches.at(-1)?.last === 100);
    expect(batches[0]?.first).toBe(41);
    await eventually(() => sync.ackedSeq === 100);
  });

  it("with the gateway key, ignores acks, commands, credit snapshots and catalogs the gateway did not sign", async () => {
    broker = await startBroker();
    const topics = siteTopics(SITE);
    const batches = recordBatches(broker.aedes, SITE, NODE);
    await fixture.open();
    await fixture.append(100);
    const gatewayIdentity = generateIdentity();
    const gateway = await VerifyingGateway.start({
      url: broker.url,
      site: SITE,
      node: NODE,
      gatewayIdentity,
    });
    fixture.defer(() => gateway.close());
    const sync = await fixture.sync(broker.url, {
      mqtt: { url: broker.url, gatewayKey: gatewayIdentity.publicKeyHex },
      credit: true,
    });
    // The gateway's own signed acks are taken.
    await eventually(() => sync.ackedSeq === 100 && batches.at(-1)?.last === 100);
    const sent = batches.length;
    const { refused, commands, credits } = received(sync);

    const forger = generateIdentity();
    const lowAck = { type: "ack", seq: 40 };
    const broken = { type: "broken", seq: 7, reason: "bad hash", scope: "chain" };
    const snapshot = s1Snapshot({ status: "ok", outstanding: 0 });
    await gateway.sendAck(JSON.stringify(lowAck));
    await gateway.sendSigned(topics.nodeAck(NODE), lowAck, forger);
    // Signed by the gateway, but for another node: replayed here.
    await gateway.client.publishAsync(
      topics.nodeAck(NODE),
      signGatewayPayload(gatewayIdentity, topics.nodeAck("shelf-1"), lowAck),
      { qos: 1 },
    );
    await gateway.sendCommand(JSON.stringify(broken));
    await gateway.sendSigned(topics.nodeCmd(NODE), broken, forger);
    await gateway.client.publishAsync(topics.credit(snapshot.customer), JSON.stringify(snapshot), {
      qos: 1,
    });
    await gateway.client.publishAsync(
      topics.catalog(),
      JSON.stringify({ version: 9, currency: "EUR", asOf: snapshot.asOf, products: [] }),
      { qos: 1 },
    );
    await eventually(() => refused.length === 7);
    expect(refused.every((problem) => problem.startsWith("not from the gateway"))).toBe(true);
    expect(sync.ackedSeq).toBe(100);
    expect(batches).toHaveLength(sent);
    expect(commands).toEqual([]);
    expect(sync.broken).toBeUndefined();
    expect(credits).toEqual([]);

    // The same, signed by the gateway for this node, is taken.
    await gateway.sendSigned(topics.credit(snapshot.customer), { ...snapshot });
    await gateway.sendSigned(topics.nodeCmd(NODE), broken);
    await eventually(() => commands.length === 1 && credits.length === 1);
    expect(sync.broken).toEqual({ seq: 7, reason: "bad hash", scope: "chain" });
    expect(credits[0]).toMatchObject({ customer: snapshot.customer, version: snapshot.version });
  });
});
