import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type CreditSnapshot,
  CreditSnapshotSchema,
  generateIdentity,
  ManualClock,
  siteTopics,
} from "@comptoir/contracts";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CreditService } from "../credit/service.js";
import { GatewayLedger } from "../ledger/gateway-ledger.js";
import { Store } from "../store/store.js";
import { OrderService } from "./service.js";

const SITE = "site-1";
const ADMIN = { kind: "system", id: "test" } as const;
const closing: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closing.splice(0)) await close();
});

/** Orders and credit over a real store, with a bus that keeps what was published on `credit/C1`. */
async function setup() {
  const dir = await mkdtemp(join(tmpdir(), "comptoir-orders-snapshot-"));
  const clock = new ManualClock("2026-03-05T09:00:00.000Z");
  const store = new Store(join(dir, "gateway.db"), { clock });
  closing.push(async () => {
    if (store.db.open) store.close();
    await rm(dir, { recursive: true, force: true });
  });
  const sent: CreditSnapshot[] = [];
  const others: CreditSnapshot[] = [];
  const bus = {
    publish: async (topic: string, payload: string) => {
      if (topic === siteTopics(SITE).credit("C1"))
        sent.push(CreditSnapshotSchema.parse(JSON.parse(payload)));
      else if (topic === siteTopics(SITE).credit("C2"))
        others.push(CreditSnapshotSchema.parse(JSON.parse(payload)));
    },
  };
  const identity = generateIdentity();
  const ledger = new GatewayLedger(store, identity, { clock });
  const credit = new CreditService({ store, ledger, clock, bus, site: SITE });
  const orders = new OrderService({ store, ledger, credit, clock });
  credit.catalog.saveProduct(
    {
      sku: "SKU-1",
      gtin: null,
      name: "Chair",
      unitPrice: { amount: 100, currency: "EUR" },
      unitCost: { amount: 50, currency: "EUR" },
    },
    ADMIN,
    "create",
  );
  credit.catalog.saveCustomer(
    {
      id: "C1",
      name: "Client C1",
      creditLimit: { amount: 100_000, currency: "EUR" },
      paymentTermsDays: 30,
    },
    ADMIN,
    "create",
  );
  const place = (number: string, quantity: number, customer = "C1") =>
    orders.place(
      [
        {
          number,
          customer,
          requestedShipDate: "2026-03-10",
          lines: [{ sku: "SKU-1", quantity, unitPrice: 100 }],
        },
      ],
      ADMIN,
    )[0];
  /** The gateway stopped at once (nothing due is sent) and started again on the same file. */
  const restart = () => {
    store.close();
    const again = new Store(join(dir, "gateway.db"), { clock });
    closing.unshift(async () => again.close());
    const ledgerAgain = new GatewayLedger(again, identity, { clock });
    return new CreditService({ store: again, ledger: ledgerAgain, clock, bus, site: SITE });
  };
  return { credit, sent, others, place, restart };
}

describe("the customer's credit snapshot after orders", () => {
  it("a burst of approved orders reaches the counters as one newer snapshot that counts them all", async () => {
    const s = await setup();
    // The customer change published a first snapshot (nothing owed yet).
    await vi.waitFor(() => expect(s.sent.length).toBeGreaterThan(0));
    const before = s.sent.length;
    const first = s.sent.at(-1) as CreditSnapshot;
    expect(first.outstanding).toBe(0);

    expect(s.place("SO-1", 10)?.state).toBe("approved");
    expect(s.place("SO-2", 20)?.state).toBe("approved");
    expect(s.place("SO-3", 30)?.state).toBe("approved");
    // Not on the request's path: nothing is published before the orders' requests return.
    expect(s.sent.length).toBe(before);

    await vi.waitFor(() => expect(s.sent.length).toBe(before + 1));
    const after = s.sent.at(-1) as CreditSnapshot;
    expect(after.outstanding).toBe(6_000);
    expect(after.version).toBeGreaterThan(first.version);
    expect(s.credit.statement("C1")?.snapshot.version).toBe(after.version);
  });

  it("a held order does not weigh in the exposure: it asks for no snapshot", async () => {
    const s = await setup();
    const asked = vi.spyOn(s.credit.snapshots, "publishSoon");
    expect(s.place("SO-BIG", 2_000)?.state).toBe("held");
    expect(asked).not.toHaveBeenCalled();
    expect(s.place("SO-OK", 1)?.state).toBe("approved");
    expect(asked).toHaveBeenCalledWith(
      "C1",
      expect.objectContaining({ statement: expect.objectContaining({ customer: "C1" }) }),
    );
    await vi.waitFor(() => expect(s.sent.at(-1)?.outstanding).toBe(100));
  });

  it("publishes the figures a fresh read of the customer gives, invoices and payments counted", async () => {
    const s = await setup();
    s.credit.invoices.record(
      {
        number: "F-1",
        direction: "customer",
        type: "invoice",
        issueDate: "2026-03-01",
        currency: "EUR",
        customer: "C1",
        lines: [],
        netTotal: 40_000,
        vatTotal: 0,
        grossTotal: 40_000,
        amountDue: 40_000,
      },
      ADMIN,
    );
    s.credit.payments.record(
      { id: "P-1", date: "2026-03-05", amount: 5_000, currency: "EUR", customer: "C1" },
      ADMIN,
    );
    expect(s.place("SO-1", 100)?.state).toBe("approved");
    expect(s.place("SO-2", 50)?.state).toBe("approved");
    const fresh = s.credit.statement("C1");
    await vi.waitFor(() =>
      expect(s.sent.at(-1)?.version).toBeGreaterThan(fresh?.snapshot.version ?? 0),
    );
    const last = s.sent.at(-1) as CreditSnapshot;
    // F-1 less the payment on account: 35 000; 15 000 of orders.
    expect(last.outstanding).toBe(50_000);
    expect(last.outstanding).toBe(fresh?.exposure.total);
    expect(last.status).toBe(fresh?.status);
    expect(last.overdue).toBe(fresh?.overdue.amount);
    // Once sent, the statement names the version the counters hold.
    expect(s.credit.statement("C1")?.snapshot.version).toBe(last.version);
  });

  it("a change published after the orders and before their snapshot is not overwritten by older figures", async () => {
    const s = await setup();
    await vi.waitFor(() => expect(s.sent.length).toBeGreaterThan(0));
    expect(s.place("SO-1", 100)?.state).toBe("approved");
    // The payment is published at once, counting the order; the order's snapshot, still due, is older.
    s.credit.payments.record(
      { id: "P-1", date: "2026-03-05", amount: 4_000, currency: "EUR", customer: "C1" },
      ADMIN,
    );
    const paid = s.sent.at(-1) as CreditSnapshot;
    expect(paid.outstanding).toBe(6_000);
    s.credit.catalog.saveCustomer(
      { id: "C2", name: "Client C2", creditLimit: "unlimited", paymentTermsDays: 30 },
      ADMIN,
      "create",
    );
    // Due after C1's: once C2's order is published, what was due for C1 was looked at.
    expect(s.place("SO-2", 1, "C2")?.state).toBe("approved");
    await vi.waitFor(() => expect(s.others.at(-1)?.outstanding).toBe(100));
    expect(s.sent.at(-1)).toEqual(paid);
  });

  it("the version taken with an order is kept by its commit: after a restart the next snapshot is newer", async () => {
    const s = await setup();
    await vi.waitFor(() => expect(s.sent.length).toBeGreaterThan(0));
    const published = (s.sent.at(-1) as CreditSnapshot).version;
    expect(s.place("SO-1", 10)?.state).toBe("approved");
    // Stopped with the order's snapshot still due: the counters hold the one before.
    const credit = s.restart();
    const next = await credit.snapshots.publishCustomer("C1");
    expect(next?.version).toBeGreaterThan(published + 1);
    expect(next?.outstanding).toBe(1_000);
  });
});
