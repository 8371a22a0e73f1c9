import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ACKED_FILE, AckedSeqFile } from "./acked-file.js";
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

describe("the acknowledged seq across restarts", () => {
  it("is stored, and a restarted node resumes from it", async () => {
    broker = await startBroker();
    const batches = recordBatches(broker.aedes, SITE, NODE);
    const ledger = await fixture.open();
    await fixture.append(500);
    const gateway = await VerifyingGateway.start({ url: broker.url, site: SITE, node: NODE });
    fixture.defer(() => gateway.close());
    const first = await fixture.sync(broker.url);
    await eventually(() => first.ackedSeq === 500);
    await first.close();
    expect(JSON.parse(await readFile(join(fixture.dataDir, ACKED_FILE), "utf8"))).toEqual({
      node: NODE,
      seq: 500,
    });

    batches.length = 0;
    await fixture.append(20);
    const second = await fixture.sync(broker.url);
    expect(second.ackedSeq).toBe(500);
    const head = ledger.durable.seq;
    await gateway.until(() => gateway.head.seq === head);
    await eventually(() => batches.at(-1)?.last === head);
    expect(batches[0]?.first).toBe(501);
    expect(gateway.duplicates).toBe(0);
  });

  it("yields to the gateway, which may know less than the file says", async () => {
    broker = await startBroker();
    const ledger = await fixture.open();
    await fixture.append(300);
    await writeFile(join(fixture.dataDir, ACKED_FILE), JSON.stringify({ node: NODE, seq: 300 }));
    await fixture.append(10);
    // A gateway that has nothing yet (restored from an old backup, say): it asks from seq 1.
    const gateway = await VerifyingGateway.start({
      url: broker.url,
      site: SITE,
      node: NODE,
      keepSeqs: true,
    });
    fixture.defer(() => gateway.close());
    const sync = await fixture.sync(broker.url);
    const head = ledger.durable.seq;
    await gateway.until(() => gateway.head.seq === head);
    expect(gateway.seqs).toEqual(Array.from({ length: head }, (_, i) => i + 1));
    expect(gateway.resendsAsked).toBeGreaterThanOrEqual(1);
    await eventually(() => sync.ackedSeq === head);
  });

  it("writes through a temporary file and reads back 0 from a missing, damaged or foreign file", async () => {
    await fixture.open();
    const dir = fixture.dataDir;
    const file = new AckedSeqFile(dir, NODE, { minIntervalMs: 0 });
    expect(await file.load()).toBe(0);
    file.save(7);
    file.save(42);
    await file.flush();
    expect(await readFile(join(dir, ACKED_FILE), "utf8")).toBe('{"node":"dock-1","seq":42}\n');
    expect((await readdir(dir)).filter((name) => name.endsWith(".tmp"))).toEqual([]);
    expect(await new AckedSeqFile(dir, NODE).load()).toBe(42);
    expect(await new AckedSeqFile(dir, "shelf-2").load()).toBe(0);
    await writeFile(join(dir, ACKED_FILE), '{"node":"dock-1","se');
    expect(await new AckedSeqFile(dir, NODE).load()).toBe(0);
    await file.close();
  });
});
