import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { WriteCounts } from "./write-counts.js";

describe("write counts kept by triggers", () => {
  it("count inserts, updates (an upsert's too) and deletes per table, and only from when they were set up", () => {
    const db = new Database(":memory:");
    db.exec(
      "CREATE TABLE a (id TEXT PRIMARY KEY, v INTEGER); CREATE TABLE b (id TEXT PRIMARY KEY)",
    );
    db.exec("INSERT INTO a VALUES ('before', 0)");
    const counts = new WriteCounts(db, ["a", "b"]);
    expect(counts.read()).toEqual([0, 0]);
    db.exec("INSERT INTO a VALUES ('x', 1)");
    db.exec("INSERT INTO a VALUES ('x', 2) ON CONFLICT (id) DO UPDATE SET v = excluded.v");
    db.exec("DELETE FROM a WHERE id = 'before'");
    db.exec("INSERT INTO b VALUES ('y')");
    expect(counts.read()).toEqual([3, 1]);
    // Set up again (a restart): the counts go on.
    const again = new WriteCounts(db, ["b", "a"]);
    db.exec("UPDATE b SET id = 'z'");
    expect(again.read()).toEqual([2, 3]);
  });
});
