import { describe, it } from "vitest";
import { type BadInputCase, expectRefusedUnchanged } from "../../testing/bad-input.js";

describe("gateway API: bad input changes nothing", () => {
  const cases: BadInputCase[] = [
    {
      name: "tags: not an EPC",
      method: "GET",
      path: "/tags/xyz",
      init: {},
      status: 400,
      code: "invalid_input",
      path_: "epc",
    },
    {
      name: "tags: never seen",
      method: "GET",
      path: "/tags/ABCDEF0123456789",
      init: {},
      status: 404,
      code: "not_found",
    },
  ];

  it.each(cases)("$name → $status $code", expectRefusedUnchanged);
});
