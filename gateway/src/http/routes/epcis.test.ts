import { afterEach, describe, expect, it } from "vitest";
import { epcisSchemaErrors } from "../../testing/epcis-schema.js";
import { type EpcisSiteSetup, epcisSite, FACTORY_EPC, sgtin } from "../../testing/epcis-site.js";
import { invoiceJson, supplierInvoiceJson } from "../../testing/gateway-app.js";

interface ObjectEvent {
  eventTime: string;
  eventTimeZoneOffset: string;
  recordTime: string;
  epcList: string[];
  action: string;
  bizStep: string;
  disposition: string;
  readPoint: { id: string };
  bizLocation?: { id: string };
  bizTransactionList?: { type: string; bizTransaction: string }[];
}
interface EpcisDocument {
  type: string;
  creationDate: string;
  epcisBody: { eventList: ObjectEvent[] };
}

let s: EpcisSiteSetup;
afterEach(async () => {
  await s?.close();
});

const GLN = "4012345000016";
const SGLN = "urn:epc:id:sgln:4012345.00001";
const A = [sgtin(42), sgtin(43), FACTORY_EPC];
const uriOf = (serial: number) => `urn:epc:id:sgtin:4012345.012345.${serial}`;

/** Recorded times of the batches, one per step of the goods' way through the site. */
const RECORDED = {
  receipts: "2026-03-02T08:01:00.000Z",
  putaway: "2026-03-02T08:31:00.000Z",
  pick: "2026-03-02T09:01:00.000Z",
  ship: "2026-03-02T10:01:00.000Z",
  sale: "2026-07-01T08:01:00.000Z",
};

/**
 * A site in Paris with a GLN, its dock mapped to an SGLN of its own: goods
 * received under a purchase order and under a despatch advice, put away,
 * picked, shipped under a sales order, and one sold at the counter in July
 * (summer time); invoices name the orders and the sale; a cycle count too.
 */
async function siteWithEveryKind() {
  s = await epcisSite({
    timeZone: "Europe/Paris",
    epcis: {
      companyPrefix: "4012345",
      locationReference: "00001",
      zones: { dock: `${SGLN}.dock1` },
    },
  });
  const dock = s.node("dock-1");
  const shelf = s.node("shelf-1");
  const counter = s.node("counter-1");
  s.clock.set(RECORDED.receipts);
  dock.move("receive", A, { from: null, to: "dock" }, "2026-03-02T08:00:00.000Z", {
    order: "PO-77",
  });
  dock.move("receive", [sgtin(44)], { from: null, to: "dock" }, "2026-03-02T08:00:30.000Z", {
    order: "DA-9",
  });
  dock.sync();
  s.clock.set(RECORDED.putaway);
  shelf.move("putaway", A, { from: "dock", to: "shelf-A" }, "2026-03-02T08:30:00.000Z");
  shelf.move("adjust", [sgtin(45)], { from: null, to: "shelf-A" }, "2026-03-02T08:30:10.000Z");
  shelf.sync();
  s.clock.set(RECORDED.pick);
  shelf.move("pick", A.slice(0, 2), { from: "shelf-A", to: "picked" }, "2026-03-02T09:00:00.000Z");
  shelf.sync();
  s.clock.set(RECORDED.ship);
  dock.move("ship", A.slice(0, 2), { from: "dock", to: null }, "2026-03-02T10:00:00.000Z", {
    order: "SO-5",
    customer: "C1",
  });
  dock.sync();
  s.clock.set(RECORDED.sale);
  counter.sale("S-100", "2026-07-01T08:00:00.000Z", "C1");
  counter.move("sale", [FACTORY_EPC], { from: "shelf-A", to: null }, "2026-07-01T08:00:00.000Z");
  counter.sync();
  await s.customer("C1");
  await s.importInvoices([
    supplierInvoiceJson("S-1", "martin", [["SKU-1", 3, 500]], { orderRef: "PO-77" }),
    supplierInvoiceJson("S-2", "martin", [["SKU-1", 1, 500]], {
      orderRef: "PO-78",
      despatchRef: "DA-9",
    }),
    invoiceJson("F-1", "C1", [["SKU-1", 2, 1000]], { orderRef: "SO-5" }),
    invoiceJson("F-2", "C1", [["SKU-1", 1, 1000]], { orderRef: "S-100" }),
  ]);
  s.clock.set("2026-12-01T00:00:00.000Z");
}

async function exported(query = "") {
  const res = await s.get(`/epcis/events${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  expect(res.headers.get("content-type")).toContain("application/ld+json");
  const document = (await res.json()) as EpcisDocument;
  expect(epcisSchemaErrors(document)).toEqual([]);
  return document;
}

describe("GET /epcis/events: EPCIS 2.0 from movements", () => {
  it("writes each kind of movement as a schema-valid ObjectEvent with its step, places and documents", async () => {
    await siteWithEveryKind();
    const document = await exported();
    expect(document.type).toBe("EPCISDocument");
    expect(document.creationDate).toBe("2026-12-01T00:00:00.000Z");
    const events = document.epcisBody.eventList;
    // The cycle count (kind adjust) is not one of the exported steps.
    expect(events.map((e) => e.bizStep)).toEqual([
      "receiving",
      "receiving",
      "storing",
      "picking",
      "shipping",
      "retail_selling",
    ]);
    const [received, despatched, stored, picked, shipped, sold] = events as [
      ObjectEvent,
      ObjectEvent,
      ObjectEvent,
      ObjectEvent,
      ObjectEvent,
      ObjectEvent,
    ];
    expect(received).toEqual({
      type: "ObjectEvent",
      eventTime: "2026-03-02T09:00:00.000+01:00",
      eventTimeZoneOffset: "+01:00",
      recordTime: RECORDED.receipts,
      // The factory tag has no GS1 identity: the site's URI of the tag, never its bare hex.
      epcList: [uriOf(42), uriOf(43), `urn:comptoir:lyon-1:tag:${FACTORY_EPC}`],
      action: "OBSERVE",
      bizStep: "receiving",
      disposition: "in_progress",
      readPoint: { id: `${SGLN}.dock1` },
      bizLocation: { id: `${SGLN}.dock1` },
      bizTransactionList: [
        { type: "po", bizTransaction: `urn:epcglobal:cbv:bt:${GLN}:PO-77` },
        { type: "inv", bizTransaction: "urn:comptoir:lyon-1:supplier:martin:invoice:S-1" },
      ],
    });
    // The supplier's invoice names DA-9 as its despatch advice: the receipt's reference is one.
    expect(despatched.bizTransactionList).toEqual([
      { type: "desadv", bizTransaction: "urn:comptoir:lyon-1:supplier:martin:despatch:DA-9" },
      { type: "po", bizTransaction: `urn:epcglobal:cbv:bt:${GLN}:PO-78` },
      { type: "inv", bizTransaction: "urn:comptoir:lyon-1:supplier:martin:invoice:S-2" },
    ]);
    expect(stored).toMatchObject({
      disposition: "sellable_not_accessible",
      readPoint: { id: `${SGLN}.shelf-A` },
      bizLocation: { id: `${SGLN}.shelf-A` },
    });
    expect(stored.bizTransactionList).toBeUndefined();
    expect(picked).toMatchObject({
      epcList: [uriOf(42), uriOf(43)],
      disposition: "in_progress",
      readPoint: { id: `${SGLN}.shelf-A` },
      bizLocation: { id: `${SGLN}.picked` },
    });
    expect(shipped).toMatchObject({
      disposition: "in_transit",
      readPoint: { id: `${SGLN}.dock1` },
      bizTransactionList: [
        { type: "po", bizTransaction: `urn:epcglobal:cbv:bt:${GLN}:SO-5` },
        { type: "inv", bizTransaction: `urn:epcglobal:cbv:bt:${GLN}:F-1` },
      ],
    });
    expect(shipped.bizLocation).toBeUndefined();
    // July in Paris is summer time: the offset is the one of that instant.
    expect(sold).toMatchObject({
      eventTime: "2026-07-01T10:00:00.000+02:00",
      eventTimeZoneOffset: "+02:00",
      epcList: [`urn:comptoir:lyon-1:tag:${FACTORY_EPC}`],
      disposition: "retail_sold",
      bizTransactionList: [{ type: "inv", bizTransaction: `urn:epcglobal:cbv:bt:${GLN}:F-2` }],
    });
  });

  it("without a GLN or a zone, names places by the site's own URIs, in UTC", async () => {
    s = await epcisSite({ site: "nantes", epcis: { baseUri: "https://erp.example.fr/epcis/" } });
    const dock = s.node("dock-1");
    dock.move("receive", [sgtin(1)], { from: null, to: "quai.2" }, "2026-03-02T08:00:00Z");
    dock.sync();
    const [event] = (await exported()).epcisBody.eventList;
    expect(event).toMatchObject({
      eventTime: "2026-03-02T08:00:00.000+00:00",
      eventTimeZoneOffset: "+00:00",
      epcList: [uriOf(1)],
      readPoint: { id: "https://erp.example.fr/epcis/zone/quai.2" },
      bizLocation: { id: "https://erp.example.fr/epcis/zone/quai.2" },
    });
    // A receipt the dock set no reference for names no document.
    expect(event?.bizTransactionList).toBeUndefined();
  });

  it("selects by step, by item and by when the gateway recorded the movements", async () => {
    await siteWithEveryKind();
    const steps = async (query: string) =>
      (await exported(query)).epcisBody.eventList.map((e) => [e.bizStep, e.epcList.length]);
    expect(await steps("?bizStep=shipping")).toEqual([["shipping", 2]]);
    // The item's own history, typed as people type it; its events list it alone.
    expect(await steps(`?epc=${A[1]?.toLowerCase()}`)).toEqual([
      ["receiving", 1],
      ["storing", 1],
      ["picking", 1],
      ["shipping", 1],
    ]);
    expect(await steps(`?from=${RECORDED.putaway}&to=${RECORDED.ship}`)).toEqual([
      ["storing", 3],
      ["picking", 2],
    ]);
    expect(await steps(`?from=${RECORDED.sale}`)).toEqual([["retail_selling", 1]]);
    expect(await steps("?from=2027-01-01T00:00:00Z")).toEqual([]);
  });

  it("refuses a bad query with every problem and where, and a role without movements", async () => {
    await siteWithEveryKind();
    const res = await s.get(
      "/epcis/events?from=yesterday&bizStep=inventory_check&epc=XYZ&colour=red",
    );
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as {
      error: { code: string; problems: { path: string; message: string }[] };
    };
    expect(error.code).toBe("invalid_input");
    expect(error.problems.map((p) => p.path).sort()).toEqual(["", "bizStep", "epc", "from"]);
    expect(JSON.stringify(error.problems)).toContain("colour");
    const swapped = await s.get(`/epcis/events?from=${RECORDED.ship}&to=${RECORDED.putaway}`);
    expect(swapped.status).toBe(400);
    expect(await swapped.text()).toContain("swap them");
    expect((await s.get("/epcis/events", "counter")).status).toBe(403);
  });

  it("is in the OpenAPI document with its filters and its JSON-LD answer", async () => {
    s = await epcisSite();
    const doc = (await (await s.get("/openapi.json")).json()) as {
      paths: Record<string, { get: { parameters: { name: string }[]; responses: unknown } }>;
    };
    const operation = doc.paths["/api/v1/epcis/events"]?.get;
    expect(operation?.parameters.map((p) => p.name)).toEqual(["from", "to", "epc", "bizStep"]);
    expect(JSON.stringify(operation?.responses)).toContain("application/ld+json");
  });
});
