import { describe, expect, it } from "vitest";
import { readJsonList } from "./json-list.js";

const ORDERS = { key: "orders", one: "an order" };

describe("a JSON file of items", () => {
  it("reads one item, an array or the wrapped list, each item located as the file wrote it", () => {
    const lone = readJsonList('{"number":"SO-1"}', ORDERS);
    const array = readJsonList('[{"number":"SO-1"},{"number":"SO-2"}]', ORDERS);
    const wrapped = readJsonList('{"orders":[{"number":"SO-1"},{"number":"SO-2"}]}', ORDERS);
    if (!lone.ok || !array.ok || !wrapped.ok) throw new Error("refused a valid file");
    expect(lone.items).toEqual([{ number: "SO-1" }]);
    expect(lone.at(0)).toBe("");
    expect(array.items).toHaveLength(2);
    expect(array.at(1)).toBe("[1]");
    expect(wrapped.items).toEqual([{ number: "SO-1" }, { number: "SO-2" }]);
    expect(wrapped.at(1)).toBe("orders[1]");
  });

  it("says what is wrong with a file that is not JSON, or holds no list of 1 to 10000", () => {
    const broken = readJsonList("{", ORDERS);
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.problems[0]?.message).toMatch(/^not valid JSON: /);
    const expected = 'expected an order, an array of 1 to 10000 orders or { "orders": [...] }';
    for (const text of ["[]", '{"orders":"SO-1"}', JSON.stringify(Array(10_001).fill({}))]) {
      expect(readJsonList(text, ORDERS)).toEqual({
        ok: false,
        problems: [{ path: "", message: expected }],
      });
    }
  });
});
