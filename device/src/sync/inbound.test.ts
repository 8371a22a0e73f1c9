import type { NodeCommand } from "@comptoir/contracts";
import { afterEach, describe, expect, it } from "vitest";
import { startBroker, type TestBroker } from "./testing/broker.js";
import { NODE, NodeFixture, SITE } from "./testing/fixture.js";
import { VerifyingGateway } from "./testing/gateway.js";
import { eventually, recordBatches } from "./testing/record.js";

const fixture = new NodeFixture();
let broker: TestBroker | undefined;

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
    const refused: string[] = [];
    sync.on("refused", (_topic, problem) => refused.push(problem));
    const commands: NodeCommand[] = [];
    sync.on("command", (command) => commands.push(command));

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
});
