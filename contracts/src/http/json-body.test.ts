import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { requireJsonBody } from "./json-body.js";

function app(options: Parameters<typeof requireJsonBody>[0]) {
  return new Hono().use(requireJsonBody(options)).all("*", (c) => c.text("reached"));
}

describe("requireJsonBody", () => {
  it("answers 415 naming the content type a body came with", async () => {
    const res = await app({ methods: ["POST"] }).request("/x", {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "hello",
    });
    expect(res.status).toBe(415);
    expect(await res.json()).toEqual({
      error: {
        code: "not_json",
        message:
          "send the request body as JSON with Content-Type: application/json (got text/plain)",
      },
    });
  });

  it("lets JSON (with parameters, or a +json type) and other methods through", async () => {
    const guarded = app({ methods: ["POST"] });
    const json = { method: "POST", body: "{}" };
    for (const type of ["application/json; charset=utf-8", "application/merge-patch+json"]) {
      const res = await guarded.request("/x", { ...json, headers: { "content-type": type } });
      expect(await res.text()).toBe("reached");
    }
    expect(await (await guarded.request("/x", { method: "PUT", body: "x" })).text()).toBe(
      "reached",
    );
  });

  it("lets a request with no body through only when told to, and exempt paths always", async () => {
    const strict = app({ methods: ["POST"] });
    const lenient = app({ methods: ["POST"], allowNoBody: true, exempt: /\/import$/ });
    expect((await strict.request("/undo", { method: "POST" })).status).toBe(415);
    expect(await (await lenient.request("/undo", { method: "POST" })).text()).toBe("reached");
    const csv = { method: "POST", headers: { "content-type": "text/csv" }, body: "a,b" };
    expect((await lenient.request("/invoices", csv)).status).toBe(415);
    expect(await (await lenient.request("/invoices/import", csv)).text()).toBe("reached");
  });
});
