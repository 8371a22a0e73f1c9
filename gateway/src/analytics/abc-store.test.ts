import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AbcReportView } from "@comptoir/contracts";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { abcHistoryCsv } from "./abc.js";
import { AbcStore } from "./abc-store.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function open() {
  const dir = mkdtempSync(join(tmpdir(), "comptoir-abc-"));
  dirs.push(dir);
  const path = join(dir, "gateway.db");
  return { path, db: new Database(path) };
}

const report = (rows: [string, "A" | "B" | "C", number][]): AbcReportView => ({
  from: "2026-01-01T00:00:00.000Z",
  to: "2026-12-31T00:00:00.000Z",
  thresholds: { a: 80, b: 95 },
  currency: "EUR",
  rows: rows.map(([sku, cls, value]) => ({
    sku,
    name: sku,
    value,
    share: value,
    cumulative: 0,
    class: cls,
    previous: null,
  })),
  runAt: null,
});

describe("ABC runs and the history of class changes", () => {
  it("first classes are changes from null; an unchanged class is not a change; a new one is", () => {
    const { db } = open();
    const store = new AbcStore(db);
    expect(store.lastRunAt()).toBeNull();
    expect(store.lastClasses()).toEqual(new Map());

    const first = store.record(
      report([
        ["TEA", "A", 80],
        ["MUG", "C", 20],
      ]),
      "2026-12-01T00:00:00.000Z",
    );
    expect(first.runAt).toBe("2026-12-01T00:00:00.000Z");
    expect(first.rows.map((r) => r.previous)).toEqual([null, null]);

    // The report says TEA was C before: the store's last run wins.
    const stale = report([
      ["TEA", "A", 70],
      ["MUG", "B", 30],
    ]);
    stale.rows[0] = { ...(stale.rows[0] as AbcReportView["rows"][number]), previous: "C" };
    const second = store.record(stale, "2026-12-02T00:00:00.000Z");
    expect(second.rows.map((r) => [r.sku, r.previous, r.class])).toEqual([
      ["TEA", "A", "A"],
      ["MUG", "C", "B"],
    ]);
    expect(store.lastRunAt()).toBe("2026-12-02T00:00:00.000Z");
    expect(store.lastClasses()).toEqual(
      new Map([
        ["TEA", "A"],
        ["MUG", "B"],
      ]),
    );

    expect(store.history().changes).toEqual([
      { runAt: "2026-12-02T00:00:00.000Z", sku: "MUG", from: "C", to: "B", value: 30, share: 30 },
      { runAt: "2026-12-01T00:00:00.000Z", sku: "MUG", from: null, to: "C", value: 20, share: 20 },
      { runAt: "2026-12-01T00:00:00.000Z", sku: "TEA", from: null, to: "A", value: 80, share: 80 },
    ]);
    expect(store.history({ sku: "TEA" }).changes).toHaveLength(1);
    expect(store.history({ limit: 1 }).changes).toHaveLength(1);
    expect(abcHistoryCsv(store.history({ sku: "MUG" }), "EUR").split("\r\n")).toEqual([
      "run_at,sku,from,to,value,share_percent,currency",
      "2026-12-02T00:00:00.000Z,MUG,C,B,0.30,30,EUR",
      "2026-12-01T00:00:00.000Z,MUG,,C,0.20,20,EUR",
      "",
    ]);
  });

  it("runs survive a reopen of the database", () => {
    const { db, path } = open();
    new AbcStore(db).record(report([["TEA", "B", 5]]), "2026-12-01T00:00:00.000Z");
    db.close();
    const again = new AbcStore(new Database(path));
    expect(again.lastRunAt()).toBe("2026-12-01T00:00:00.000Z");
    expect(again.lastClasses()).toEqual(new Map([["TEA", "B"]]));
  });
});
