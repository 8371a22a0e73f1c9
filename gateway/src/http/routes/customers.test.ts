import { describe, expect, it } from "vitest";
import { apiSetup } from "../../testing/api.js";
import { type BadInputCase, expectRefusedUnchanged } from "../../testing/bad-input.js";

describe("gateway API: bad input changes nothing", () => {
  const cases: BadInputCase[] = [
    {
      name: "customer: terms not a number",
      method: "POST",
      path: "/customers",
      init: { body: { id: "C-2", name: "B", creditLimit: "unlimited", paymentTermsDays: "30" } },
      status: 400,
      code: "invalid_input",
      path_: "paymentTermsDays",
    },
    {
      name: "customer: limit neither money nor unlimited",
      method: "POST",
      path: "/customers",
      init: { body: { id: "C-2", name: "B", creditLimit: "lots", paymentTermsDays: 30 } },
      status: 400,
      code: "invalid_input",
      path_: "creditLimit",
    },
    {
      name: "customer: already exists",
      method: "POST",
      path: "/customers",
      init: { body: { id: "C-1", name: "B", creditLimit: "unlimited", paymentTermsDays: 30 } },
      status: 409,
      code: "conflict",
    },
  ];

  it.each(cases)("$name → $status $code", expectRefusedUnchanged);

  it("lists every problem of a bad body", async () => {
    const s = await apiSetup();
    const res = await s.call("POST", "/customers", {
      role: "admin",
      body: { id: "bad id!", creditLimit: { amount: 1.5, currency: "eur" }, extra: 1 },
    });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { problems: { path: string }[] } };
    expect(error.problems.map((p) => p.path).sort()).toEqual(
      expect.arrayContaining(["id", "name", "paymentTermsDays", ""]),
    );
  });
});
