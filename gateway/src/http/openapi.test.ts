import { WEBHOOK_EVENT_TYPES } from "@comptoir/contracts";
import { describe, expect, it } from "vitest";
import { apiSetup } from "../testing/api.js";

describe("gateway API: OpenAPI and metrics", () => {
  it("documents every route the app serves, with its roles, from the zod schemas", async () => {
    const s = await apiSetup();
    const doc = (await (await s.call("GET", "/openapi.json", { role: "counter" })).json()) as {
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          { "x-roles"?: string[]; requestBody?: unknown; parameters: { name: string }[] }
        >
      >;
    };
    expect(doc.openapi).toBe("3.1.0");
    const served = s.app.routes
      .filter((r) => r.method !== "ALL" && r.path.startsWith("/api/v1/"))
      .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, "{$1}")}`);
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method} ${path}`),
    );
    expect(new Set(documented)).toEqual(new Set(served));
    expect(served.length).toBeGreaterThanOrEqual(15);
    expect(doc.paths["/api/v1/nodes"]?.post?.["x-roles"]).toEqual(["admin"]);
    expect(JSON.stringify(doc.paths["/api/v1/products"]?.post?.requestBody)).toContain("unitCost");
    expect(doc.paths["/api/v1/stock"]?.get?.parameters.map((p) => p.name)).toEqual([
      "zone",
      "sku",
      "asOf",
    ]);
  });

  it("serves the document without a token (it holds no data), and nothing else", async () => {
    const s = await apiSetup();
    const doc = await s.call("GET", "/openapi.json");
    expect(doc.status).toBe(200);
    const body = (await doc.json()) as {
      paths: Record<string, Record<string, { security?: unknown[] }>>;
    };
    // The document says so of itself; the routes with data still ask for a token.
    expect(body.paths["/api/v1/openapi.json"]?.get?.security).toEqual([]);
    expect(body.paths["/api/v1/stock"]?.get?.security).toEqual([{ bearer: [] }]);
    expect((await s.call("GET", "/stock")).status).toBe(401);
    expect((await s.call("GET", "/movements")).status).toBe(401);
  });

  it("documents every webhook event in the webhooks section: its headers and the schema of its data", async () => {
    const s = await apiSetup();
    const doc = (await (await s.call("GET", "/openapi.json")).json()) as {
      webhooks: Record<string, { post: { parameters: { name: string }[]; requestBody: unknown } }>;
    };
    expect(Object.keys(doc.webhooks).sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
    const applied = doc.webhooks["payment.applied"]?.post;
    expect(applied?.parameters.map((p) => p.name)).toEqual([
      "Idempotency-Key",
      "Comptoir-Event",
      "Comptoir-Signature",
    ]);
    const body = JSON.stringify(applied?.requestBody);
    for (const field of ["letter", "allocations", "unapplied", "occurredAt"]) {
      expect(body).toContain(`"${field}"`);
    }
  });
});
