import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type ChainIdentity,
  generateIdentity,
  type LedgerEntry,
  ManualClock,
  type SiteFormat,
} from "@comptoir/contracts";
import { chainSealer, testEntryTime } from "@comptoir/contracts/testing";
import type { Hono } from "hono";
import { expect } from "vitest";
import {
  createGatewayApp,
  GatewayLedger,
  NodeCredentials,
  ROLES,
  type Role,
  Store,
  TokenStore,
} from "../index.js";

/**
 * The gateway's HTTP API over a real SQLite file, with a token per role and
 * node credentials, for the route tests in gateway/src/http. Unlike
 * gateway-app.ts (credit and receivables), it holds no credit service and
 * reports the broker up.
 */

export const T0 = "2026-11-22T09:00:00.000Z";

export async function apiSetup(options: { maxBodyBytes?: number; site?: SiteFormat } = {}) {
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

export type ApiSetup = Awaited<ReturnType<typeof apiSetup>>;

let epcCounter = 0;
/** A fresh EPC on every call, unique within a test file. */
export function epc(): string {
  epcCounter++;
  return `3034257BF7194E40${epcCounter.toString(16).toUpperCase().padStart(8, "0")}`;
}

/** A node's chain, built entry by entry. */
export function chainOf(chain: string) {
  const entries: LedgerEntry[] = [];
  const sealer = chainSealer(chain);
  const push = (type: string, data: unknown) => {
    const entry = sealer.seal(type, data, testEntryTime);
    entries.push(entry);
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
      at: testEntryTime(sealer.head().seq + 1),
    });
  return { entries, push, move };
}

/**
 * POSTs as `token` to `app`'s /api/v1: each call expects a 2xx answer (else
 * fails with its text) and returns its JSON.
 */
export function poster(app: Pick<Hono, "request">, token: string) {
  return async (path: string, body: unknown): Promise<unknown> => {
    const res = await app.request(`/api/v1${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(res.status, await res.clone().text()).toBeLessThan(300);
    return res.json();
  };
}

/** Enrols node `id` through the API as admin. */
export async function enrolled(
  s: ApiSetup,
  id: string,
  identity: ChainIdentity = generateIdentity(),
) {
  const response = await s.call("POST", "/nodes", {
    role: "admin",
    body: { id, publicKey: identity.publicKeyHex },
  });
  expect(response.status).toBe(201);
  return identity;
}
