import { afterEach, describe, expect, it } from "vitest";
import { EPCIS_EVENT_EPCS } from "../../epcis/document.js";
import { SCAN_PAGE } from "../../epcis/movement-scan.js";
import { epcisSchemaErrors } from "../../testing/epcis-schema.js";
import { type EpcisSiteSetup, epcisSite, sgtin } from "../../testing/epcis-site.js";
import { type GatewayServer, serveGateway } from "../serve.js";

let s: EpcisSiteSetup;
let server: GatewayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  await s?.close();
});

const PASSES = 160;
const TAGS_PER_PASS = 125;
const TOTAL = PASSES * TAGS_PER_PASS; // 20 000 movements

/** 160 portal passes of 125 tags a minute apart, each stored as its own batch. */
async function busyDock() {
  s = await epcisSite({ timeZone: "Europe/Paris" });
  const dock = s.node("dock-1");
  s.clock.set("2026-03-02T06:00:00.000Z");
  for (let pass = 0; pass < PASSES; pass++) {
    const at = new Date(Date.UTC(2026, 2, 2, 6, pass)).toISOString();
    const tags = Array.from({ length: TAGS_PER_PASS }, (_, i) => sgtin(pass * TAGS_PER_PASS + i));
    dock.move("receive", tags, { from: null, to: "dock" }, at, { order: `PO-${pass}` });
    s.clock.advance(60_000);
    dock.sync();
  }
}

describe("GET /epcis/events over a large range", () => {
  it("streams 20 000 movements page by page into one valid document", async () => {
    await busyDock();
    const res = await s.get("/epcis/events");
    expect(res.status).toBe(200);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    const chunks: string[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(decoder.decode(value, { stream: true }));
    }
    const text = chunks.join("");
    // The head, each page's events, the tail: never the whole document at once.
    expect(chunks.length).toBeGreaterThanOrEqual(TOTAL / SCAN_PAGE);
    expect(Math.max(...chunks.map((chunk) => chunk.length))).toBeLessThan(text.length / 10);
    const document = JSON.parse(text) as {
      epcisBody: { eventList: { epcList: string[]; bizTransactionList: unknown[] }[] };
    };
    expect(epcisSchemaErrors(document)).toEqual([]);
    const events = document.epcisBody.eventList;
    // One event per pass: its 125 tags, under its own purchase order.
    expect(events).toHaveLength(PASSES);
    expect(events.every((event) => event.epcList.length === TAGS_PER_PASS)).toBe(true);
    expect(new Set(events.flatMap((event) => event.epcList)).size).toBe(TOTAL);
  });

  it("reads the store as the client reads the document, not ahead of it", async () => {
    await busyDock();
    const res = await s.get("/epcis/events");
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = "";
    // The head and the first page's events.
    for (let i = 0; i < 2; i++) text += decoder.decode((await reader.read()).value);
    // A pass stored now, while the export is under way: an export that had read the whole
    // range before writing would not have it; one that reads as it writes reaches it.
    const late = Array.from({ length: 3 }, (_, i) => sgtin(TOTAL + i));
    const dock = s.node("dock-2");
    dock.move("receive", late, { from: null, to: "dock" }, "2026-03-02T09:00:00.000Z");
    s.clock.advance(60_000);
    dock.sync();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    const events = (JSON.parse(text) as { epcisBody: { eventList: { epcList: string[] }[] } })
      .epcisBody.eventList;
    expect(events).toHaveLength(PASSES + 1);
    expect(events.at(-1)?.epcList).toEqual([
      `urn:epc:id:sgtin:4012345.012345.${TOTAL}`,
      `urn:epc:id:sgtin:4012345.012345.${TOTAL + 1}`,
      `urn:epc:id:sgtin:4012345.012345.${TOTAL + 2}`,
    ]);
  });

  it(`splits a pass larger than ${EPCIS_EVENT_EPCS} EPCs into consecutive events`, async () => {
    s = await epcisSite();
    const dock = s.node("dock-1");
    const tags = Array.from({ length: EPCIS_EVENT_EPCS + 5 }, (_, i) => sgtin(i));
    dock.move("receive", tags, { from: null, to: "dock" }, "2026-03-02T08:00:00.000Z");
    dock.sync();
    const document = (await (await s.get("/epcis/events")).json()) as {
      epcisBody: { eventList: { epcList: string[] }[] };
    };
    expect(epcisSchemaErrors(document)).toEqual([]);
    expect(document.epcisBody.eventList.map((event) => event.epcList.length)).toEqual([
      EPCIS_EVENT_EPCS,
      5,
    ]);
  });

  it("lets a client hang up mid-export over HTTP, and serves the next one whole", async () => {
    await busyDock();
    server = await serveGateway(s.deps, { host: "127.0.0.1", port: 0 });
    const url = `${server.url}/api/v1/epcis/events`;
    const headers = { authorization: `Bearer ${s.token.viewer}` };
    const hangUp = new AbortController();
    const first = await fetch(url, { headers, signal: hangUp.signal });
    const reader = (first.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    hangUp.abort();
    await expect(reader.read()).rejects.toThrow();
    const second = await fetch(url, { headers });
    const document = (await second.json()) as { epcisBody: { eventList: unknown[] } };
    expect(document.epcisBody.eventList).toHaveLength(PASSES);
  });
});
