import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type ChainIdentity,
  GENESIS_PREV,
  generateIdentity,
  type LedgerEntry,
  ManualClock,
  publicKeyPem,
  sealEntry,
} from "@comptoir/contracts";
import {
  createGatewayApp,
  GATEWAY_CHAIN,
  GatewayLedger,
  NodeCredentials,
  ROLES,
  type Role,
  Store,
  TokenStore,
} from "@comptoir/gateway";
import { describe, expect, it } from "vitest";

const T0 = "2026-11-22T09:00:00.000Z";

async function setup(options: { maxBodyBytes?: number } = {}) {
  const dir = await mkdtemp(join(tmpdir(), "comptoir-api-"));
  const clock = new ManualClock(T0);
  const store = new Store(join(dir, "gateway.db"), { clock });
  const ledger = new GatewayLedger(store, generateIdentity(), { clock });
  const tokens = new TokenStore(store.db, ledger, { clock });
  const credentials = new NodeCredentials(store.db, { clock });
  const token = {} as Record<Role, string>;
  const tokenId = {} as Record<Role, string>;
  for (const role of ROLES) {
    const issued = tokens.create(role, `${role} test`, { kind: "system", id: "test" });
    token[role] = issued.token;
    tokenId[role] = issued.record.id;
  }
  const app = createGatewayApp({
    store,
    ledger,
    tokens,
    credentials,
    clock,
    brokerState: () => ({ state: "up", url: "mqtt://127.0.0.1:1883" }),
    ...options,
  });
  const call = (
    method: string,
    path: string,
    init: { role?: Role; token?: string; body?: unknown; raw?: string; type?: string } = {},
  ) => {
    const headers: Record<string, string> = {};
    const bearer = init.token ?? (init.role ? token[init.role] : undefined);
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    const body = init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
    if (body !== undefined) headers["content-type"] = init.type ?? "application/json";
    return app.request(`/api/v1${path}`, { method, headers, ...(body ? { body } : {}) });
  };
  /** Everything a request could change, to assert that a refused one changed nothing. */
  const state = () =>
    JSON.stringify(
      ["nodes", "entries", "products", "customers", "api_tokens", "node_credentials"].map((table) =>
        store.db.prepare(`SELECT * FROM ${table} ORDER BY 1`).all(),
      ),
    );
  return { dir, clock, store, ledger, tokens, credentials, token, tokenId, app, call, state };
}

type Setup = Awaited<ReturnType<typeof setup>>;

let epcCounter = 0;
function epc(): string {
  epcCounter++;
  return `3034257BF7194E40${epcCounter.toString(16).toUpperCase().padStart(8, "0")}`;
}

/** A node's chain, built entry by entry. */
function chainOf(chain: string) {
  const entries: LedgerEntry[] = [];
  let head = { seq: 0, hash: GENESIS_PREV };
  const push = (type: string, data: unknown) => {
    const seq = head.seq + 1;
    const ts = new Date(Date.UTC(2026, 10, 22, 8, 0, seq)).toISOString();
    const { entry } = sealEntry({ seq, ts, chain, type, data, prev: head.hash });
    entries.push(entry);
    head = { seq, hash: entry.hash };
    return entry;
  };
  const move = (
    tag: string,
    from: string | null,
    to: string | null,
    sku: string | null = "SKU-1",
  ) =>
    push("movement", {
      epc: tag,
      sku,
      kind: to === null ? "ship" : from === null ? "receive" : "putaway",
      from,
      to,
      reader: "r1",
      antennas: [1],
      reads: 3,
      at: new Date(Date.UTC(2026, 10, 22, 8, 0, head.seq + 1)).toISOString(),
    });
  return { entries, push, move };
}

async function enrolled(s: Setup, id: string, identity: ChainIdentity = generateIdentity()) {
  const response = await s.call("POST", "/nodes", {
    role: "admin",
    body: { id, publicKey: identity.publicKeyHex },
  });
  expect(response.status).toBe(201);
  return identity;
}

describe("gateway API: tokens", () => {
  it("answers 401 without a token, with an unknown one, or a revoked one; health needs none", async () => {
    const s = await setup();
    const none = await s.call("GET", "/stock");
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(await none.json()).toMatchObject({ error: { code: "unauthorized" } });
    expect((await s.call("GET", "/stock", { token: "ct_nope" })).status).toBe(401);
    const res = await s.app.request("/api/v1/stock", { headers: { authorization: "Basic abc" } });
    expect(res.status).toBe(401);
    s.tokens.revoke(s.tokenId.viewer, { kind: "system", id: "test" });
    expect((await s.call("GET", "/stock", { role: "viewer" })).status).toBe(401);
    expect((await s.call("GET", "/stock", { role: "counter" })).status).toBe(200);
    const health = await s.call("GET", "/health");
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: "ok",
      store: { ok: true },
      broker: { state: "up" },
      nodes: { total: 0 },
    });
  });

  it("health is 503 and degraded when the broker is down", async () => {
    const s = await setup();
    const app = createGatewayApp({
      store: s.store,
      ledger: s.ledger,
      brokerState: () => ({ state: "down", detail: "port taken" }),
    });
    const res = await app.request("/api/v1/health");
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: "degraded", broker: { state: "down" } });
  });
});

/** Each operation, a valid request for it (fresh ids per role), and the roles that may. */
const MATRIX: {
  method: string;
  path: string;
  body?: (role: Role) => unknown;
  allowed: Role[];
  /** What an allowed role gets when not 200/201 (e.g. 404: past the permission, nothing to act on). */
  answers?: number[];
}[] = [
  { method: "GET", path: "/nodes", allowed: ["admin", "accounting", "warehouse", "viewer"] },
  { method: "GET", path: "/nodes/dock-1", allowed: ["admin", "accounting", "warehouse", "viewer"] },
  {
    method: "POST",
    path: "/nodes",
    body: (role) => ({ id: `n-${role}`, publicKey: generateIdentity().publicKeyHex }),
    allowed: ["admin"],
  },
  // Credentials of an enrolled node: admin only; 409 once revoked is still past the permission.
  {
    method: "POST",
    path: "/nodes/dock-1/rotate",
    body: () => ({}),
    allowed: ["admin"],
    answers: [200, 409],
  },
  {
    method: "POST",
    path: "/nodes/dock-1/reenroll",
    body: (role) => ({ reason: `by ${role}` }),
    allowed: ["admin"],
  },
  {
    method: "POST",
    path: "/nodes/dock-1/revoke",
    body: (role) => ({ reason: `by ${role}` }),
    allowed: ["admin"],
    answers: [200, 409],
  },
  // dock-1's chain is fine: past the permission, there is nothing to recover.
  {
    method: "POST",
    path: "/nodes/dock-1/recover",
    body: (role) => ({ reason: `by ${role}` }),
    allowed: ["admin"],
    answers: [409],
  },
  {
    method: "GET",
    path: "/nodes/dock-1/epochs",
    allowed: ["admin", "accounting", "warehouse", "viewer"],
  },
  { method: "GET", path: "/stock", allowed: [...ROLES] },
  { method: "GET", path: "/stock/items?zone=dock", allowed: [...ROLES] },
  {
    method: "POST",
    path: "/stock/adjustments",
    body: (role) => ({ sku: "SKU-1", delta: 1, reason: `count by ${role}` }),
    allowed: ["admin", "warehouse"],
  },
  { method: "GET", path: "/stock/adjustments", allowed: [...ROLES] },
  { method: "GET", path: "/movements", allowed: ["admin", "accounting", "warehouse", "viewer"] },
  {
    method: "GET",
    path: "/tags/3034257BF7194E4000000001",
    allowed: ["admin", "accounting", "warehouse", "viewer"],
  },
  { method: "GET", path: "/products", allowed: [...ROLES] },
  {
    method: "POST",
    path: "/products",
    body: (role) => ({
      sku: `SKU-${role}`,
      name: "Widget",
      unitPrice: { amount: 1250, currency: "EUR" },
      unitCost: { amount: 700, currency: "EUR" },
    }),
    allowed: ["admin", "accounting"],
  },
  {
    method: "GET",
    path: "/products/SKU-1",
    allowed: ["admin", "accounting", "warehouse", "counter", "viewer"],
  },
  {
    method: "PUT",
    path: "/products/SKU-1",
    body: (role) => ({
      name: `Widget by ${role}`,
      unitPrice: { amount: 1300, currency: "EUR" },
      unitCost: { amount: 700, currency: "EUR" },
    }),
    allowed: ["admin", "accounting"],
  },
  { method: "GET", path: "/customers", allowed: ["admin", "accounting", "counter", "viewer"] },
  { method: "GET", path: "/customers/C-1", allowed: ["admin", "accounting", "counter", "viewer"] },
  {
    method: "PUT",
    path: "/customers/C-1",
    body: (role) => ({ name: role, creditLimit: "unlimited", paymentTermsDays: 10 }),
    allowed: ["admin", "accounting"],
  },
  {
    method: "POST",
    path: "/customers",
    body: (role) => ({
      id: `C-${role}`,
      name: "Client",
      creditLimit: "unlimited",
      paymentTermsDays: 30,
    }),
    allowed: ["admin", "accounting"],
  },
  { method: "GET", path: "/invoices", allowed: ["admin", "accounting", "viewer"] },
  {
    method: "POST",
    path: "/invoices",
    body: (role) => ({
      number: `F-${role}`,
      direction: "customer",
      type: "invoice",
      issueDate: "2026-11-01",
      currency: "EUR",
      customer: "C-1",
      lines: [],
      netTotal: 1000,
      vatTotal: 0,
      grossTotal: 1000,
      amountDue: 1000,
    }),
    allowed: ["admin", "accounting"],
  },
  { method: "GET", path: "/payments", allowed: ["admin", "accounting", "viewer"] },
  {
    method: "GET",
    path: "/payments/P-none",
    allowed: ["admin", "accounting", "viewer"],
    answers: [404],
  },
  {
    method: "POST",
    path: "/allocations/ZZ/undo",
    allowed: ["admin", "accounting"],
    answers: [404],
  },
  {
    method: "POST",
    path: "/payments",
    body: (role) => ({
      id: `P-${role}`,
      date: "2026-11-20",
      amount: 500,
      currency: "EUR",
      customer: "C-1",
    }),
    allowed: ["admin", "accounting"],
  },
  { method: "GET", path: "/credit/C-1", allowed: ["admin", "accounting", "counter", "viewer"] },
  {
    method: "POST",
    path: "/credit/check",
    body: () => ({ customer: "C-1", amount: 100 }),
    allowed: ["admin", "accounting", "counter"],
  },
  { method: "GET", path: "/audit/gateway/verify", allowed: ["admin", "accounting", "viewer"] },
  {
    method: "POST",
    path: "/invoices/import",
    body: (role) => [
      {
        number: `FI-${role}`,
        direction: "customer",
        type: "invoice",
        issueDate: "2026-11-01",
        currency: "EUR",
        customer: "C-1",
        lines: [],
        netTotal: 1000,
        vatTotal: 0,
        grossTotal: 1000,
        amountDue: 1000,
      },
    ],
    allowed: ["admin", "accounting"],
  },
  { method: "GET", path: "/invoices/template.csv", allowed: ["admin", "accounting", "viewer"] },
  {
    method: "POST",
    path: "/payments/import",
    body: (role) => [
      { id: `PI-${role}`, date: "2026-11-20", amount: 100, currency: "EUR", customer: "C-1" },
    ],
    allowed: ["admin", "accounting"],
  },
  { method: "GET", path: "/payments/template.csv", allowed: ["admin", "accounting", "viewer"] },
  {
    method: "GET",
    path: "/reconciliation",
    allowed: ["admin", "accounting", "warehouse", "viewer"],
  },
  { method: "GET", path: "/receivables/aging", allowed: ["admin", "accounting", "viewer"] },
  { method: "GET", path: "/receivables/dso", allowed: ["admin", "accounting", "viewer"] },
  { method: "GET", path: "/receivables/payers", allowed: ["admin", "accounting", "viewer"] },
  { method: "GET", path: "/dunning", allowed: ["admin", "accounting", "viewer"] },
  { method: "POST", path: "/dunning/run", body: () => ({}), allowed: ["admin", "accounting"] },
  { method: "GET", path: "/dunning/config", allowed: ["admin", "accounting", "viewer"] },
  { method: "PUT", path: "/dunning/config", body: () => ({}), allowed: ["admin", "accounting"] },
  { method: "GET", path: "/metrics", allowed: ["admin", "viewer"] },
  { method: "GET", path: "/openapi.json", allowed: [...ROLES] },
];

describe("gateway API: the role matrix", () => {
  it.each(MATRIX)(
    "$method $path is for $allowed",
    async ({ method, path, body, allowed, answers }) => {
      const s = await setup();
      await enrolled(s, "dock-1");
      const chain = chainOf("dock-1");
      chain.move("3034257BF7194E4000000001", null, "dock");
      s.store.appendEntries("dock-1", chain.entries);
      await s.call("POST", "/products", {
        role: "admin",
        body: {
          sku: "SKU-1",
          name: "Widget",
          unitPrice: { amount: 1, currency: "EUR" },
          unitCost: { amount: 1, currency: "EUR" },
        },
      });
      await s.call("POST", "/customers", {
        role: "admin",
        body: { id: "C-1", name: "A", creditLimit: "unlimited", paymentTermsDays: 1 },
      });
      for (const role of ROLES) {
        const before = s.state();
        const res = await s.call(method, path, { role, ...(body ? { body: body(role) } : {}) });
        if (allowed.includes(role)) {
          expect(answers ?? [200, 201], `${role} ${method} ${path}`).toContain(res.status);
        } else {
          expect(res.status, `${role} ${method} ${path}`).toBe(403);
          expect(await res.json()).toMatchObject({ error: { code: "forbidden" } });
          expect(s.state(), `${role} changed something`).toBe(before);
        }
      }
    },
  );

  it("covers every documented operation", async () => {
    const s = await setup();
    const res = await s.call("GET", "/openapi.json", { role: "viewer" });
    const doc = (await res.json()) as { paths: Record<string, Record<string, unknown>> };
    const tested = new Set(
      MATRIX.map((row) => `${row.method.toLowerCase()} ${row.path.split("?")[0]}`),
    );
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const method of Object.keys(ops)) {
        if (path === "/api/v1/health") continue;
        const pattern = new RegExp(
          `^${method} ${path.replace("/api/v1", "").replace(/\{\w+\}/g, "[^/]+")}$`,
        );
        expect(
          [...tested].some((t) => pattern.test(t)),
          `${method} ${path} in the matrix`,
        ).toBe(true);
      }
    }
  });
});

describe("gateway API: bad input changes nothing", () => {
  const product = {
    sku: "SKU-9",
    gtin: "03453120000011",
    name: "Widget",
    unitPrice: { amount: 1250, currency: "EUR" },
    unitCost: { amount: 700, currency: "EUR" },
  };
  const cases: {
    name: string;
    method: string;
    path: string;
    init: { body?: unknown; raw?: string; type?: string };
    status: number;
    code: string;
    path_?: string;
  }[] = [
    {
      name: "enroll: missing public key",
      method: "POST",
      path: "/nodes",
      init: { body: { id: "dock-2" } },
      status: 400,
      code: "invalid_input",
      path_: "publicKey",
    },
    {
      name: "enroll: not a key",
      method: "POST",
      path: "/nodes",
      init: { body: { id: "dock-2", publicKey: "abcd" } },
      status: 400,
      code: "invalid_input",
      path_: "publicKey",
    },
    {
      name: "enroll: unknown field",
      method: "POST",
      path: "/nodes",
      init: { body: { id: "dock-2", publicKey: "ab".repeat(32), role: "x" } },
      status: 400,
      code: "invalid_input",
    },
    {
      name: "enroll: id of the wrong type",
      method: "POST",
      path: "/nodes",
      init: { body: { id: 7, publicKey: generateIdentity().publicKeyHex } },
      status: 400,
      code: "invalid_input",
      path_: "id",
    },
    {
      name: "enroll: the gateway's own chain id",
      method: "POST",
      path: "/nodes",
      init: { body: { id: "gateway", publicKey: generateIdentity().publicKeyHex } },
      status: 422,
      code: "reserved_id",
      path_: "id",
    },
    {
      name: "enroll: already enrolled",
      method: "POST",
      path: "/nodes",
      init: { body: { id: "dock-1", publicKey: generateIdentity().publicKeyHex } },
      status: 409,
      code: "conflict",
      path_: "id",
    },
    {
      name: "malformed JSON",
      method: "POST",
      path: "/products",
      init: { raw: '{"sku":' },
      status: 400,
      code: "invalid_input",
    },
    {
      name: "not JSON",
      method: "POST",
      path: "/products",
      init: { raw: "sku=1", type: "application/x-www-form-urlencoded" },
      status: 415,
      code: "not_json",
    },
    {
      name: "product: decimal price",
      method: "POST",
      path: "/products",
      init: { body: { ...product, unitPrice: { amount: 12.5, currency: "EUR" } } },
      status: 400,
      code: "invalid_input",
      path_: "unitPrice.amount",
    },
    {
      name: "product: negative cost",
      method: "POST",
      path: "/products",
      init: { body: { ...product, unitCost: { amount: -1, currency: "EUR" } } },
      status: 400,
      code: "invalid_input",
      path_: "unitCost.amount",
    },
    {
      name: "product: currencies differ",
      method: "POST",
      path: "/products",
      init: { body: { ...product, unitCost: { amount: 700, currency: "USD" } } },
      status: 422,
      code: "rule_refused",
      path_: "unitCost.currency",
    },
    {
      name: "product: already exists",
      method: "POST",
      path: "/products",
      init: { body: { ...product, sku: "SKU-1", gtin: null } },
      status: 409,
      code: "conflict",
      path_: "sku",
    },
    {
      name: "product: GTIN of another product",
      method: "POST",
      path: "/products",
      init: { body: { ...product, gtin: "03453120000028" } },
      status: 409,
      code: "conflict",
      path_: "gtin",
    },
    {
      name: "product change: unknown product",
      method: "PUT",
      path: "/products/NOPE",
      init: { body: { name: "x", unitPrice: product.unitPrice, unitCost: product.unitCost } },
      status: 404,
      code: "not_found",
    },
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
    {
      name: "stock: unknown parameter",
      method: "GET",
      path: "/stock?color=red",
      init: {},
      status: 400,
      code: "invalid_input",
    },
    {
      name: "stock: asOf without offset",
      method: "GET",
      path: "/stock?asOf=2026-11-22T10:00:00",
      init: {},
      status: 400,
      code: "invalid_input",
      path_: "asOf",
    },
    {
      name: "movements: limit too large",
      method: "GET",
      path: "/movements?limit=5000",
      init: {},
      status: 400,
      code: "invalid_input",
      path_: "limit",
    },
    {
      name: "movements: forged cursor",
      method: "GET",
      path: "/movements?before=abc",
      init: {},
      status: 400,
      code: "invalid_input",
      path_: "before",
    },
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
    {
      name: "nodes: unknown node",
      method: "GET",
      path: "/nodes/nope",
      init: {},
      status: 404,
      code: "not_found",
    },
    {
      name: "audit: unknown chain",
      method: "GET",
      path: "/audit/nope/verify",
      init: {},
      status: 404,
      code: "not_found",
    },
    {
      name: "no such route",
      method: "GET",
      path: "/nothing",
      init: {},
      status: 404,
      code: "not_found",
    },
  ];

  it.each(cases)("$name → $status $code", async ({ method, path, init, status, code, path_ }) => {
    const s = await setup();
    await enrolled(s, "dock-1");
    expect(
      (
        await s.call("POST", "/products", {
          role: "admin",
          body: { ...product, sku: "SKU-1", gtin: "03453120000028" },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await s.call("POST", "/customers", {
          role: "admin",
          body: { id: "C-1", name: "A", creditLimit: "unlimited", paymentTermsDays: 30 },
        })
      ).status,
    ).toBe(201);
    const before = s.state();
    const res = await s.call(method, path, { role: "admin", ...init });
    expect(res.status).toBe(status);
    const body = (await res.json()) as { error: { code: string; message: string; path?: string } };
    expect(body.error.code).toBe(code);
    expect(body.error.message.length).toBeGreaterThan(10);
    if (path_) expect(body.error.path).toBe(path_);
    expect(s.state()).toBe(before);
  });

  it("lists every problem of a bad body", async () => {
    const s = await setup();
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

  it("refuses a body over the limit with 413 and changes nothing", async () => {
    const s = await setup({ maxBodyBytes: 2048 });
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
    const s = await setup();
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

describe("gateway API: nodes", () => {
  it("enrolls a node from a PEM key, records it in the gateway ledger with the token, issues MQTT credentials once", async () => {
    const s = await setup();
    const identity = generateIdentity();
    const res = await s.call("POST", "/nodes", {
      role: "admin",
      body: { id: "shelf-1", publicKey: publicKeyPem(identity.publicKey) },
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as {
      node: { id: string; publicKey: string; chain: unknown };
      mqtt: { username: string; password: string };
    };
    expect(body.node).toMatchObject({
      id: "shelf-1",
      publicKey: identity.publicKeyHex,
      chain: { state: "ok" },
    });
    expect(body.mqtt.username).toBe("shelf-1");
    expect(s.credentials.verify("shelf-1", body.mqtt.password)).toBe(true);
    const entries = [...s.store.entries(GATEWAY_CHAIN)].filter((e) => e.type === "node.enrolled");
    expect(entries).toHaveLength(1);
    expect(entries[0]?.data).toMatchObject({
      by: { kind: "token", id: s.tokenId.admin },
      node: "shelf-1",
      publicKey: identity.publicKeyHex,
    });
    expect(JSON.stringify(entries)).not.toContain(body.mqtt.password);
    expect(s.ledger.verify().ok).toBe(true);
  });

  it("shows status, last seen, head and verified seq, and a broken chain with its seq and reason", async () => {
    const s = await setup();
    const identity = await enrolled(s, "dock-1");
    const chain = chainOf("dock-1");
    chain.move(epc(), null, "dock");
    chain.move(epc(), null, "dock");
    s.clock.advance(1000);
    s.store.appendEntries("dock-1", chain.entries);
    const app = createGatewayApp({
      store: s.store,
      ledger: s.ledger,
      tokens: s.tokens,
      nodeStatus: (id) =>
        id === "dock-1"
          ? {
              receivedAt: "2026-11-22T09:00:05.000Z",
              status: {
                state: "online",
                node: "dock-1",
                version: "0.1.0",
                headSeq: 5,
                ackedSeq: 2,
                readers: [],
                ts: "2026-11-22T09:00:04.000Z",
              },
            }
          : undefined,
    });
    const get = async (path: string) =>
      app.request(`/api/v1${path}`, { headers: { authorization: `Bearer ${s.token.viewer}` } });
    const one = await (await get("/nodes/dock-1")).json();
    expect(one).toMatchObject({
      id: "dock-1",
      publicKey: identity.publicKeyHex,
      status: "online",
      lastSeen: "2026-11-22T09:00:05.000Z",
      headSeq: 5,
      verifiedSeq: 2,
      chain: { state: "ok" },
    });
    s.store.markBroken("dock-1", 3, "bad hash", "stored hash differs");
    const list = (await (await get("/nodes")).json()) as { nodes: unknown[] };
    expect(list.nodes).toEqual([
      expect.objectContaining({
        chain: { state: "broken", seq: 3, reason: "bad hash", detail: "stored hash differs" },
      }),
    ]);
  });
});

describe("gateway API: stock, tags, movements", () => {
  it("answers stock now and as of a past time (entries received up to it, replayed)", async () => {
    const s = await setup();
    await enrolled(s, "dock-1");
    const chain = chainOf("dock-1");
    const [a, b, c] = [epc(), epc(), epc()];
    chain.move(a, null, "dock");
    chain.move(b, null, "dock");
    chain.move(c, null, "dock", null);
    s.clock.set("2026-11-22T10:00:00.000Z");
    s.store.appendEntries("dock-1", chain.entries.splice(0));
    chain.move(a, "dock", "shelf-a");
    chain.push("commission", { epc: c, sku: "SKU-2" });
    chain.move(b, "dock", null);
    s.clock.set("2026-11-22T11:00:00.000Z");
    s.store.appendEntries("dock-1", chain.entries.splice(0));

    const stock = async (query: string) =>
      (await (await s.call("GET", `/stock${query}`, { role: "viewer" })).json()) as {
        asOf: string;
        rows: unknown[];
      };
    const now = await stock("");
    expect(now.rows).toEqual([
      { sku: "SKU-1", zone: "shelf-a", count: 1 },
      { sku: "SKU-2", zone: "dock", count: 1 },
    ]);
    const past = await stock("?asOf=2026-11-22T10:30:00Z");
    expect(past).toEqual({
      asOf: "2026-11-22T10:30:00.000Z",
      rows: [
        { sku: null, zone: "dock", count: 1 },
        { sku: "SKU-1", zone: "dock", count: 2 },
      ],
    });
    expect((await stock("?asOf=2026-11-22T10:30:00%2B01:00")).rows).toEqual([]);
    expect((await stock("?asOf=2026-11-22T11:00:00Z")).rows).toEqual(now.rows);
    expect((await stock("?asOf=2026-11-22T10:30:00Z&zone=dock&sku=SKU-1")).rows).toEqual([
      { sku: "SKU-1", zone: "dock", count: 2 },
    ]);
    // The items behind a stock row: which EPCs, and the movement that put each there.
    const items = async (query: string) =>
      (await (await s.call("GET", `/stock/items${query}`, { role: "viewer" })).json()) as {
        items: { epc: string; sku: string | null; kind: string | null }[];
        truncated: boolean;
      };
    expect(await items("?zone=shelf-a&sku=SKU-1")).toMatchObject({
      items: [{ epc: a, sku: "SKU-1", zone: "shelf-a", kind: "putaway" }],
      truncated: false,
    });
    expect((await items("?zone=dock")).items.map((item) => [item.epc, item.sku])).toEqual([
      [c, "SKU-2"],
    ]);
    expect(await items("?zone=yard")).toEqual({ items: [], truncated: false });
    const missingZone = await s.call("GET", "/stock/items", { role: "viewer" });
    expect(missingZone.status).toBe(400);
    expect(await missingZone.json()).toMatchObject({ error: { path: "zone" } });
    const tag = (await (
      await s.call("GET", `/tags/${a.toLowerCase()}`, { role: "warehouse" })
    ).json()) as {
      place: unknown;
      history: { seq: number }[];
    };
    // A tag's place says what the tag said: its commissioned SKU and its GTIN (none here).
    expect(tag.place).toEqual({ sku: "SKU-1", gtin: null, zone: "shelf-a" });
    expect(tag.history.map((m) => m.seq)).toEqual([4, 1]);
  });

  it("pages movements newest first with a cursor that survives new arrivals", async () => {
    const s = await setup();
    await enrolled(s, "dock-1");
    await enrolled(s, "shelf-1");
    const dock = chainOf("dock-1");
    const shelf = chainOf("shelf-1");
    for (let i = 0; i < 3; i++) {
      s.clock.advance(1000);
      dock.move(epc(), null, "dock");
      dock.move(epc(), null, "dock");
      s.store.appendEntries("dock-1", dock.entries.splice(0));
      shelf.move(epc(), null, "shelf");
      s.store.appendEntries("shelf-1", shelf.entries.splice(0));
    }
    const seen: string[] = [];
    let next: string | null = null;
    let pages = 0;
    do {
      const query: string = `/movements?limit=4${next ? `&before=${next}` : ""}`;
      const page = (await (await s.call("GET", query, { role: "viewer" })).json()) as {
        movements: { chain: string; seq: number; receivedAt: string }[];
        next: string | null;
      };
      seen.push(...page.movements.map((m) => `${m.receivedAt} ${m.chain} ${m.seq}`));
      next = page.next;
      pages++;
      if (pages === 1) {
        s.clock.advance(1000);
        dock.move(epc(), null, "dock");
        s.store.appendEntries("dock-1", dock.entries.splice(0));
      }
    } while (next && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(9);
    expect(new Set(seen).size).toBe(9);
    expect(
      [...seen]
        .sort()
        .reverse()
        .map((x) => x.slice(0, 24)),
    ).toEqual(seen.map((x) => x.slice(0, 24)));
    const filtered = (await (
      await s.call("GET", "/movements?node=shelf-1", { role: "viewer" })
    ).json()) as {
      movements: { chain: string }[];
    };
    expect(filtered.movements.map((m) => m.chain)).toEqual(["shelf-1", "shelf-1", "shelf-1"]);
  });
});

describe("gateway API: products and customers", () => {
  it("creates and changes them, each recorded in the gateway ledger with the actor and what it was", async () => {
    const s = await setup();
    const product = {
      sku: "SKU-1",
      name: "Widget",
      unitPrice: { amount: 1250, currency: "EUR" },
      unitCost: { amount: 700, currency: "EUR" },
    };
    expect((await s.call("POST", "/products", { role: "accounting", body: product })).status).toBe(
      201,
    );
    const changed = await s.call("PUT", "/products/SKU-1", {
      role: "admin",
      body: {
        ...product,
        sku: undefined,
        gtin: "03453120000011",
        unitPrice: { amount: 1300, currency: "EUR" },
      },
    });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({
      sku: "SKU-1",
      gtin: "03453120000011",
      unitPrice: { amount: 1300 },
    });
    const customer = {
      id: "C-1042",
      name: "Quincaillerie",
      creditLimit: { amount: 500_000, currency: "EUR" },
      paymentTermsDays: 30,
    };
    expect(
      (await s.call("POST", "/customers", { role: "accounting", body: customer })).status,
    ).toBe(201);
    expect(
      (
        await s.call("PUT", "/customers/C-1042", {
          role: "accounting",
          body: { name: "Quincaillerie", creditLimit: "unlimited", paymentTermsDays: 45 },
        })
      ).status,
    ).toBe(200);
    const list = (await (await s.call("GET", "/customers", { role: "counter" })).json()) as {
      customers: unknown[];
    };
    expect(list.customers).toEqual([
      expect.objectContaining({ id: "C-1042", creditLimit: "unlimited", paymentTermsDays: 45 }),
    ]);
    const entries = [...s.store.entries(GATEWAY_CHAIN)].filter((e) => !e.type.startsWith("token."));
    expect(entries.map((e) => [e.type, (e.data as { by: { id: string } }).by.id])).toEqual([
      ["product.created", s.tokenId.accounting],
      ["product.changed", s.tokenId.admin],
      ["customer.created", s.tokenId.accounting],
      ["customer.changed", s.tokenId.accounting],
    ]);
    expect(entries[1]?.data).toMatchObject({
      before: { unitPrice: { amount: 1250 } },
      product: { unitPrice: { amount: 1300 } },
    });
    expect(entries[3]?.data).toMatchObject({
      before: { creditLimit: { amount: 500_000 } },
      customer: { creditLimit: "unlimited" },
    });
  });
});

describe("gateway API: audit", () => {
  it("verifies a node's stored chain, and names the seq after a stored entry is tampered with", async () => {
    const s = await setup();
    const identity = await enrolled(s, "dock-1");
    const chain = chainOf("dock-1");
    for (let i = 0; i < 4; i++) chain.move(epc(), null, "dock");
    s.store.appendEntries("dock-1", chain.entries);
    const head = chain.entries.at(-1);
    const verify = async (id: string) =>
      (await (await s.call("GET", `/audit/${id}/verify`, { role: "accounting" })).json()) as Record<
        string,
        unknown
      >;
    expect(await verify("dock-1")).toEqual({
      chain: "dock-1",
      ok: true,
      count: 4,
      head: { seq: 4, hash: head?.hash },
    });
    expect(identity).toBeDefined();
    s.store.db
      .prepare(
        "UPDATE entries SET data = json_set(data, '$.to', 'elsewhere') WHERE chain = 'dock-1' AND seq = 3",
      )
      .run();
    expect(await verify("dock-1")).toMatchObject({
      chain: "dock-1",
      ok: false,
      seq: 3,
      reason: "bad hash",
    });

    expect(await verify("gateway")).toMatchObject({ ok: true });
    s.store.db
      .prepare(
        "UPDATE entries SET data = json_set(data, '$.role', 'admin') WHERE chain = 'gateway' AND seq = 2",
      )
      .run();
    expect(await verify("gateway")).toMatchObject({
      chain: "gateway",
      ok: false,
      seq: 2,
      reason: "bad hash",
    });
  });
});

describe("gateway API: OpenAPI and metrics", () => {
  it("documents every route the app serves, with its roles, from the zod schemas", async () => {
    const s = await setup();
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

  it("serves Prometheus text about nodes, stock, the ledger and requests", async () => {
    const s = await setup();
    await enrolled(s, "dock-1");
    const chain = chainOf("dock-1");
    chain.move(epc(), null, "dock");
    s.store.appendEntries("dock-1", chain.entries);
    await s.call("GET", "/stock", { role: "viewer" });
    const res = await s.call("GET", "/metrics", { role: "viewer" });
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toContain('comptoir_nodes{state="ok"} 1');
    expect(text).toContain('comptoir_node_verified_seq{node="dock-1"} 1');
    expect(text).toContain('comptoir_stock_items{zone="dock"} 1');
    expect(text).toMatch(/comptoir_gateway_ledger_seq \d+/);
    expect(text).toContain("comptoir_broker_up 1");
    expect(text).toMatch(
      /comptoir_http_requests_total\{method="GET",route="\/api\/v1\/stock",status="200"\} 1/,
    );
  });
});
