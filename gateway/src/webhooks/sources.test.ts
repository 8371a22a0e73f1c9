import { WEBHOOK_EVENT_SCHEMAS, type WebhookEventType } from "@comptoir/contracts";
import { describe, expect, it, vi } from "vitest";
import { AnalyticsAlerts } from "../analytics/alerts.js";
import { createGatewayApp } from "../http/app.js";
import { invoiceJson, reconciliationPerTest } from "../testing/gateway-app.js";
import { NodeWebhooks, type WebhookSink } from "./node-events.js";
import { Outbox } from "./outbox.js";
import { sendLedgerEvents } from "./sources.js";

const T0 = "2026-03-20T12:00:00.000Z";
const site = reconciliationPerTest(T0);

interface Sent {
  type: WebhookEventType;
  data: Record<string, unknown>;
}

/** A sink that keeps what it is given, each checked against its contract schema. */
function recorder(): WebhookSink & { sent: Sent[]; of: (type: WebhookEventType) => Sent[] } {
  const sent: Sent[] = [];
  return {
    sent,
    of: (type) => sent.filter((event) => event.type === type),
    enqueue(type, data) {
      const parsed = WEBHOOK_EVENT_SCHEMAS[type].safeParse(data);
      if (!parsed.success) throw new Error(`${type}: ${parsed.error.message}`);
      sent.push({ type, data: data as Record<string, unknown> });
    },
  };
}

async function withSink() {
  const s = await site();
  const sink = recorder();
  sendLedgerEvents(s.ledger, s.store.db, sink);
  await s.customer("acme");
  return { s, sink };
}

/**
 * A site whose HTTP app enqueues into a recording sink the events that have
 * no ledger entry (discrepancies seen on request); `reconcile` asks GET
 * /reconciliation as the dashboard does, or with a query.
 */
async function reconciledSite() {
  const s = await site();
  const sink = recorder();
  const app = createGatewayApp({
    store: s.store,
    ledger: s.ledger,
    tokens: s.tokens,
    clock: s.clock,
    credit: s.credit,
    orders: s.orders,
    webhooks: sink,
  });
  const reconcile = async (query = "") => {
    const res = await app.request(`/api/v1/reconciliation${query}`, {
      headers: { authorization: `Bearer ${s.token.accounting}` },
    });
    expect(res.status).toBe(200);
  };
  await s.customer("acme");
  await s.product("WID", 1000);
  return { s, sink, reconcile };
}

const invoice = (number: string, amount: number, issueDate: string) =>
  invoiceJson(number, "acme", [["WID", 1, amount]], { issueDate, dueDate: issueDate });

describe("webhook events from the changes that cause them", () => {
  it("invoices and payments: invoice.imported per invoice, payment.applied with the letter for each matched receipt, none for an unmatched one", async () => {
    const { s, sink } = await withSink();
    for (const body of [invoice("A1", 10000, "2026-03-01"), invoice("A2", 5000, "2026-03-02")]) {
      expect((await s.call("POST", "/invoices", { body })).status).toBe(201);
    }
    const imported = await s.call("POST", "/payments/import", {
      raw: [
        "id,date,amount,label,customer",
        "P1,2026-03-10,99.50,VIR ACME A1,acme",
        "P2,2026-03-11,70.00,VIR ACME,acme",
        "P3,2026-03-12,12.00,VIR INCONNU,",
      ].join("\n"),
      type: "text/csv",
    });
    expect(imported.status, imported.text).toBe(201);

    expect(sink.of("invoice.imported").map((event) => event.data.number)).toEqual(["A1", "A2"]);
    expect(sink.of("invoice.imported")[0]?.data).toMatchObject({
      customer: "acme",
      amountDue: 10000,
      dueDate: "2026-03-01",
      updated: false,
    });
    const applied = sink.of("payment.applied").map((event) => event.data);
    expect(applied).toEqual([
      expect.objectContaining({
        payment: "P1",
        letter: "A",
        status: "lettered",
        unapplied: 0,
        allocations: [
          { invoice: "A1", amount: 9950, rule: "label-reference", source: "payment" },
          expect.objectContaining({ invoice: "A1", amount: 50, source: "write-off" }),
        ],
      }),
      expect.objectContaining({
        payment: "P2",
        letter: "B",
        status: "partly-lettered",
        unapplied: 2000,
        allocations: [expect.objectContaining({ invoice: "A2", amount: 5000 })],
      }),
    ]);

    const undo = await s.call("POST", "/allocations/A/undo", { body: {} });
    expect(undo.status, undo.text).toBe(200);
    expect(sink.of("allocation.undone").map((event) => event.data)).toEqual([
      expect.objectContaining({
        letter: "A",
        customers: ["acme"],
        allocations: [
          expect.objectContaining({ invoice: "A1", amount: 9950 }),
          expect.objectContaining({ invoice: "A1", amount: 50, source: "write-off" }),
        ],
      }),
    ]);
  });

  it("an import refused half-way leaves no event in the outbox: the events commit with the change", async () => {
    const s = await site();
    await s.customer("acme");
    const outbox = new Outbox(s.store.db, { subscriptions: [{ id: "erp", events: ["*"] }] });
    sendLedgerEvents(s.ledger, s.store.db, outbox);
    // What the ledger told, whether or not it then committed.
    const told = recorder();
    sendLedgerEvents(s.ledger, s.store.db, told);
    const events = () =>
      s.store.db
        .prepare<[], { type: string }>("SELECT type FROM webhook_events ORDER BY id")
        .all()
        .map((row) => row.type);
    expect(
      (await s.call("POST", "/invoices", { body: invoice("A1", 100, "2026-03-01") })).status,
    ).toBe(201);
    expect(events()).toEqual(["invoice.imported"]);

    // A2 is recorded first, then A1 is refused as already recorded: nothing of the file stays.
    const refused = await s.call("POST", "/invoices/import", {
      body: [invoice("A2", 200, "2026-03-02"), invoice("A1", 100, "2026-03-01")],
    });
    expect(refused.status, refused.text).toBe(409);
    expect(told.of("invoice.imported").map((event) => event.data.number)).toEqual(["A1", "A2"]);
    expect(events()).toEqual(["invoice.imported"]);
  });

  it("credit: a limit or terms change is credit.changed; a renamed customer is not", async () => {
    const { s, sink } = await withSink();
    const put = (body: unknown) => s.call("PUT", "/customers/acme", { body });
    expect(
      (await put({ name: "ACME SA", creditLimit: "unlimited", paymentTermsDays: 30 })).status,
    ).toBe(200);
    expect(sink.of("credit.changed")).toEqual([]);
    const limited = await put({
      name: "ACME SA",
      creditLimit: { amount: 50000, currency: "EUR" },
      paymentTermsDays: 45,
    });
    expect(limited.status, limited.text).toBe(200);
    expect(sink.of("credit.changed").map((event) => event.data)).toEqual([
      expect.objectContaining({
        customer: "acme",
        change: "limit-changed",
        limit: 50000,
        paymentTermsDays: 45,
      }),
    ]);
  });

  it("credit: exposure crossing the limit is credit.changed over-limit, and back within-limit after a payment", async () => {
    const { s, sink } = await withSink();
    await s.customer("C1", "Client C1", { limit: 10_000 });
    const billed = invoiceJson("F-1", "C1", [["WID", 1, 12_000]], { issueDate: "2026-03-19" });
    expect((await s.call("POST", "/invoices", { body: billed })).status).toBe(201);
    await vi.waitFor(() => expect(sink.of("credit.changed")).toHaveLength(1));
    const paid = await s.call("POST", "/payments", {
      body: {
        id: "P-1",
        date: "2026-03-20",
        amount: 12_000,
        currency: "EUR",
        label: "F-1",
        customer: "C1",
      },
    });
    expect(paid.status, paid.text).toBe(201);
    await vi.waitFor(() => expect(sink.of("credit.changed")).toHaveLength(2));
    expect(
      sink
        .of("credit.changed")
        .map((event) => [event.data.change, event.data.exposure, event.data.limit]),
    ).toEqual([
      ["over-limit", 12_000, 10_000],
      ["within-limit", 0, 10_000],
    ]);
  });

  it("credit: a final notice that blocks credit is credit.changed on-hold, the thank-you after payment hold-lifted", async () => {
    const { s, sink } = await withSink();
    const late = invoiceJson("A1", "acme", [["WID", 1, 10_000]], {
      issueDate: "2026-01-10",
      dueDate: "2026-02-10",
    });
    expect((await s.call("POST", "/invoices", { body: late })).status).toBe(201);
    const run = await s.call("POST", "/dunning/run", { body: {} });
    expect(run.status, run.text).toBe(200);
    const paid = await s.call("POST", "/payments", {
      body: {
        id: "P-1",
        date: "2026-03-20",
        amount: 10_000,
        currency: "EUR",
        label: "A1",
        customer: "acme",
      },
    });
    expect(paid.status, paid.text).toBe(201);
    const thanks = await s.call("POST", "/dunning/run", { body: {} });
    expect(thanks.body.sent.map((letter: { kind: string }) => letter.kind)).toEqual(["thank-you"]);
    expect(
      sink.of("credit.changed").map((event) => [event.data.customer, event.data.change]),
    ).toEqual([
      ["acme", "on-hold"],
      ["acme", "hold-lifted"],
    ]);
  });

  it("orders: one held at entry is order.held with the reasons, its release order.released with who and why", async () => {
    const { s, sink } = await withSink();
    await s.product("SKU-1", 100);
    await s.customer("C1", "Client C1", { limit: 10_000 });
    const placed = await s.call("POST", "/orders", {
      body: {
        number: "SO-1",
        customer: "C1",
        requestedShipDate: "2026-03-25",
        lines: [{ sku: "SKU-1", quantity: 200, unitPrice: 100 }],
      },
    });
    expect(placed.status, placed.text).toBe(201);
    const held = sink.of("order.held").map((event) => event.data);
    expect(held).toEqual([
      expect.objectContaining({ order: "SO-1", customer: "C1", amount: 20_000 }),
    ]);
    const reasons = (held[0]?.reasons ?? []) as { code: string }[];
    expect(reasons.map((reason) => reason.code)).toContain("over-limit");
    const released = await s.call("POST", "/orders/SO-1/release", {
      body: { reason: "known customer, pays late" },
    });
    expect(released.status, released.text).toBe(200);
    expect(sink.of("order.released").map((event) => event.data)).toEqual([
      expect.objectContaining({
        order: "SO-1",
        override: true,
        reason: "known customer, pays late",
        by: { kind: "token", id: s.tokenId.accounting },
      }),
    ]);
  });

  it("a stock adjustment is stock.adjusted with its reason and the ledger entry behind it", async () => {
    const { s, sink } = await withSink();
    await s.product("SKU-1", 100);
    const res = await s.call("POST", "/stock/adjustments", {
      role: "admin",
      body: { sku: "SKU-1", delta: -2, reason: "broken on the shelf" },
    });
    expect(res.status, res.text).toBe(201);
    const [event] = sink.of("stock.adjusted");
    expect(event?.data).toMatchObject({ sku: "SKU-1", delta: -2, reason: "broken on the shelf" });
    const entry = s.gatewayEntries("stock.adjusted")[0];
    expect(event?.data.ledgerSeq).toBe(entry?.seq);
  });

  it("discrepancies: opened once however often reconciliation runs, resolved when a complete run no longer finds it", async () => {
    const { s, sink, reconcile } = await reconciledSite();
    const dock = s.node("dock-1");
    dock.move("ship", "WID", 2, "2026-03-10T08:00:00.000Z", { order: "SO-9", customer: "acme" });
    dock.sync();
    await reconcile();
    await reconcile();
    const opened = sink.of("discrepancy.opened").map((event) => event.data);
    expect(opened.map((data) => [data.kind, data.order, data.difference])).toContainEqual([
      "shipped_not_invoiced",
      "SO-9",
      2,
    ]);
    expect(opened.filter((data) => data.order === "SO-9")).toHaveLength(1);
    const count = opened.length;

    const billed = invoiceJson("F-9", "acme", [["WID", 2, 1000]], {
      issueDate: "2026-03-11",
      orderRef: "SO-9",
    });
    expect((await s.call("POST", "/invoices", { body: billed })).status).toBe(201);
    // A filtered look does not see everything: nothing is resolved by it.
    await reconcile("?customer=someone-else");
    expect(sink.of("discrepancy.resolved")).toEqual([]);
    await reconcile();
    const gone = opened.find((data) => data.order === "SO-9");
    expect(sink.of("discrepancy.resolved").map((event) => event.data.id)).toContain(gone?.id);
    expect(sink.of("discrepancy.opened").length).toBeGreaterThanOrEqual(count);
  });

  it("discrepancies: one seen only with a shorter grace is not resolved and opened again at each look", async () => {
    const { s, sink, reconcile } = await reconciledSite();
    const dock = s.node("dock-1");
    // Shipped this morning: within the site's 3 days of grace, no invoice expected yet.
    dock.move("ship", "WID", 2, "2026-03-20T08:00:00.000Z", { order: "SO-7", customer: "acme" });
    dock.sync();
    const so7 = () => sink.sent.filter((event) => event.data.order === "SO-7");
    await reconcile("?graceDays=0");
    await reconcile();
    await reconcile("?graceDays=0");
    await reconcile();
    expect(so7().map((event) => [event.type, event.data.kind])).toEqual([
      ["discrepancy.opened", "shipped_not_invoiced"],
    ]);
    // Invoiced the next day: once the grace has passed without a complete run finding it, resolved.
    const billed = invoiceJson("F-7", "acme", [["WID", 2, 1000]], {
      issueDate: "2026-03-21",
      orderRef: "SO-7",
    });
    expect((await s.call("POST", "/invoices", { body: billed })).status).toBe(201);
    await reconcile();
    expect(so7().map((event) => event.type)).toEqual(["discrepancy.opened"]);
    s.clock.set("2026-03-24T09:00:00.000Z");
    await reconcile();
    expect(so7().map((event) => event.type)).toEqual([
      "discrepancy.opened",
      "discrepancy.resolved",
    ]);
  });

  it("analytics: a reorder alert is reorder.triggered and a sale under cost margin.alert, once per crossing; a slow mover is not sent", async () => {
    const s = await site();
    const sink = recorder();
    const alerts = new AnalyticsAlerts(s.store.db, { clock: s.clock, webhooks: sink });
    const raise = (kind: "reorder" | "below-cost" | "slow-mover", subject: string) =>
      alerts.raise({ kind, subject, sku: subject, message: `${kind} ${subject}`, detail: {} });
    raise("reorder", "SKU-1");
    raise("reorder", "SKU-1");
    raise("below-cost", "sale:S1:SKU-2");
    raise("slow-mover", "SKU-3");
    expect(sink.sent.map((event) => [event.type, event.data.subject])).toEqual([
      ["reorder.triggered", "SKU-1"],
      ["margin.alert", "sale:S1:SKU-2"],
    ]);
    alerts.clear("reorder", "SKU-1");
    raise("reorder", "SKU-1");
    expect(sink.of("reorder.triggered")).toHaveLength(2);
  });

  it("nodes: offline told once per going offline (not at each retained status), a broken chain once per break, and caught up at start", async () => {
    const s = await site();
    const sink = recorder();
    const nodes = new NodeWebhooks(s.store.db, sink);
    const at = "2026-03-20T12:00:00.000Z";
    nodes.status("dock-1", "offline", at);
    nodes.status("dock-1", "offline", at);
    nodes.status("dock-1", "online", at);
    nodes.status("dock-1", "offline", at);
    expect(sink.of("node.offline")).toHaveLength(2);
    const broken = { seq: 12, reason: "bad hash", detail: "entry 12" };
    nodes.broken("dock-1", broken, at);
    nodes.broken("dock-1", broken, at);
    expect(sink.of("node.broken").map((event) => event.data)).toEqual([
      { node: "dock-1", seq: 12, reason: "bad hash", detail: "entry 12", at },
    ]);
    // Restarted: the store holds dock-1 (told) and shelf-2 (not told) as broken.
    const again = new NodeWebhooks(s.store.db, sink);
    again.catchUp(
      [
        { id: "dock-1", broken },
        { id: "shelf-2", broken: { seq: 3, reason: "bad signature", detail: "" } },
        { id: "pos-1", broken: null },
      ],
      at,
    );
    expect(sink.of("node.broken").map((event) => event.data.node)).toEqual(["dock-1", "shelf-2"]);
  });
});
