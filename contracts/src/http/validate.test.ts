import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { valid } from "./validate.js";

const app = new Hono().post("/x", valid("json", z.strictObject({ sku: z.string() })), (c) =>
  c.json(c.req.valid("json")),
);
const post = (body: string | Uint8Array, type = "application/json") =>
  app.request("/x", { method: "POST", headers: { "content-type": type }, body });

describe("valid('json')", () => {
  it("hands the handler the parsed, validated body", async () => {
    const res = await post('{"sku":"A"}');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sku: "A" });
  });

  it("answers a body that is not JSON with 400 in the parser's words", async () => {
    const res = await post('{"sku":');
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe("invalid_input");
    expect(error.message).toMatch(/^invalid request body: not valid JSON \(.+\) — send the body/);
  });

  it("answers a body that is not UTF-8 with 400 naming the field", async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('{"sku":"'), 0xff, 0x22, 0x7d]);
    const res = await post(bytes);
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { code: string; path?: string } };
    expect(error).toMatchObject({ code: "invalid_input", path: "sku" });
  });

  it("lists every problem of a body the schema refuses", async () => {
    const res = await post('{"sku":1,"extra":true}');
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { problems: { path: string }[] } };
    expect(error.problems.map((problem) => problem.path).sort()).toEqual(["", "sku"]);
  });
});

describe("valid('json') with an asynchronous refinement", () => {
  const unique = new Hono().post(
    "/y",
    valid(
      "json",
      z.strictObject({ sku: z.string() }).refine(async (body) => body.sku !== "TAKEN", {
        message: "that SKU is taken",
        path: ["sku"],
      }),
    ),
    (c) => c.json(c.req.valid("json")),
  );
  const send = (sku: string) =>
    unique.request("/y", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ sku }),
    });

  it("runs the refinement: passes what it accepts, answers 400 naming what it refuses", async () => {
    expect(await (await send("FREE")).json()).toEqual({ sku: "FREE" });
    const res = await send("TAKEN");
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { path?: string; message: string } };
    expect(error.path).toBe("sku");
    expect(error.message).toContain("that SKU is taken");
  });
});
