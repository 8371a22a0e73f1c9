import { describe, expect, it } from "vitest";
import { apiSetup } from "../testing/api.js";
import { type BadInputCase, expectRefusedUnchanged } from "../testing/bad-input.js";

describe("gateway API: bad input changes nothing", () => {
  const cases: BadInputCase[] = [
    {
      name: "no such route",
      method: "GET",
      path: "/nothing",
      init: {},
      status: 404,
      code: "not_found",
    },
  ];

  it.each(cases)("$name → $status $code", expectRefusedUnchanged);

  it("refuses a body over the limit with 413 and changes nothing", async () => {
    const s = await apiSetup({ maxBodyBytes: 2048 });
    const before = s.state();
    const res = await s.call("POST", "/customers", {
      role: "admin",
      body: { id: "C-9", name: "x".repeat(5000), creditLimit: "unlimited", paymentTermsDays: 1 },
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: "body_too_large" } });
    expect(s.state()).toBe(before);
  });

  it("has a 1 MiB body limit by default", async () => {
    const s = await apiSetup();
    const res = await s.call("POST", "/customers", {
      role: "admin",
      body: {
        id: "C-9",
        name: "x".repeat(1024 * 1024),
        creditLimit: "unlimited",
        paymentTermsDays: 1,
      },
    });
    expect(res.status).toBe(413);
  });
});
