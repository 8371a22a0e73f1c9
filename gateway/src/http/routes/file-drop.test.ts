import { describe, expect, it } from "vitest";
import { invoiceCsvTemplate } from "../../invoice-files/index.js";
import { fileDropSitePerTest } from "../../testing/file-drop.js";
import { paymentFixture } from "../../testing/file-import.js";
import { createGatewayApp } from "../app.js";

const site = fileDropSitePerTest();

interface Answer {
  enabled: boolean;
  watcher: { kinds: { kind: string; available: boolean }[] } | null;
  files: { name: string }[];
}

describe("GET /api/v1/file-drop", () => {
  it("shows the folders and each file taken, newest first, with its outcome, count and problems", async () => {
    const s = await site();
    const w = s.watcher();
    const app = createGatewayApp({
      store: s.store,
      ledger: s.ledger,
      tokens: s.tokens,
      clock: s.clock,
      credit: s.credit,
      orders: s.orders,
      fileDrop: w,
    });
    const get = async (query = "") => {
      const res = await app.request(`/api/v1/file-drop${query}`, {
        headers: { authorization: `Bearer ${s.token.viewer}` },
      });
      return { status: res.status, body: (await res.json()) as Answer };
    };
    await w.scan();
    await s.drop("invoices", "good.csv", invoiceCsvTemplate());
    await s.drop("payments", "bad.csv", paymentFixture("payments.csv").replace("132,00", "cent"));
    await s.settleAndScan(w);

    const all = await get();
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({
      enabled: true,
      watcher: { settleMs: 5000, lastError: null },
      files: [
        {
          kind: "payments",
          name: "bad.csv",
          outcome: "refused",
          count: 0,
          movedTo: "error/bad.csv",
          problems: [{ path: expect.stringMatching(/^line 2/) }],
        },
        { kind: "invoices", name: "good.csv", outcome: "imported", count: 2, format: "csv" },
      ],
    });
    expect(all.body.watcher?.kinds.find((k) => k.kind === "invoices")?.available).toBe(true);

    const refused = await get("?outcome=refused&kind=payments");
    expect(refused.body.files).toHaveLength(1);
    const imported = await get("?kind=invoices&limit=1");
    expect(imported.body).toMatchObject({ files: [{ name: "good.csv" }] });
  });

  it("refuses a bad query with every problem, and says when the drop is off", async () => {
    const s = await site();
    const bad = await s.call("GET", "/file-drop?kind=letters&limit=0");
    expect(bad.status).toBe(400);
    expect(bad.body.error.problems.map((p: { path: string }) => p.path).sort()).toEqual([
      "kind",
      "limit",
    ]);
    const off = await s.call("GET", "/file-drop");
    expect(off.body).toEqual({ enabled: false, watcher: null, files: [] });
  });
});
