import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateIdentity, type LedgerEntry, ManualClock } from "@comptoir/contracts";
import { chainSealer } from "@comptoir/contracts/testing";
import type { EpcisConfig } from "@comptoir/firmware-config";
import { createGatewayApp, GatewayLedger, ROLES, type Role, Store, TokenStore } from "../index.js";

/** An SGTIN-96 of GTIN 04012345123456 (reference 5.5) with serial `serial`: `urn:epc:id:sgtin:4012345.012345.<serial>`. */
export const sgtin = (serial: number) =>
  `3034F4E4E40C0E40${serial.toString(16).toUpperCase().padStart(8, "0")}`;

/** A factory EPC of no GS1 scheme (header E2), as cheap tags come. */
export const FACTORY_EPC = "E2801160600002084D7C31A1";

/**
 * A gateway over a real SQLite file in a temp dir for the EPCIS export
 * tests: tokens per role, the site's zone and `epcis` config, and nodes
 * whose movements and sales are stored as ingest stores a batch, at the
 * clock's time (the events' recordTime). `close` removes it all.
 */
export async function epcisSite(
  options: { site?: string; timeZone?: string; epcis?: Partial<EpcisConfig> } = {},
) {
  const dir = await mkdtemp(join(tmpdir(), "comptoir-epcis-"));
  const clock = new ManualClock("2026-03-02T07:00:00.000Z");
  const store = new Store(join(dir, "gateway.db"), { clock });
  const ledger = new GatewayLedger(store, generateIdentity(), { clock });
  const tokens = new TokenStore(store.db, ledger, { clock });
  const token = {} as Record<Role, string>;
  for (const role of ROLES)
    token[role] = tokens.create(role, `${role} test`, { kind: "system", id: "test" }).token;
  /** What the app is built from: `serveGateway(deps, …)` serves the same site on a real port. */
  const deps = {
    store,
    ledger,
    tokens,
    clock,
    site: {
      locale: "fr-FR",
      currency: "EUR",
      ...(options.timeZone ? { timeZone: options.timeZone } : {}),
    },
    epcis: { site: options.site ?? "lyon-1", ...options.epcis },
  };
  const app = createGatewayApp(deps);

  const get = (path: string, role: Role = "viewer") =>
    app.request(`/api/v1${path}`, { headers: { authorization: `Bearer ${token[role]}` } });

  /** Imports invoices (the contract's JSON) as accounting; throws unless all were taken. */
  const importInvoices = async (invoices: unknown[]) => {
    const res = await app.request("/api/v1/invoices/import", {
      method: "POST",
      headers: {
        authorization: `Bearer ${token.accounting}`,
        "content-type": "application/json",
      },
      body: JSON.stringify(invoices),
    });
    if (res.status !== 201) throw new Error(await res.text());
  };

  /** A customer with no credit limit, so that invoices can name it. */
  const customer = async (id: string) => {
    const res = await app.request("/api/v1/customers", {
      method: "POST",
      headers: { authorization: `Bearer ${token.admin}`, "content-type": "application/json" },
      body: JSON.stringify({ id, name: id, creditLimit: "unlimited", paymentTermsDays: 30 }),
    });
    if (res.status !== 201) throw new Error(await res.text());
  };

  const node = (id: string) => {
    store.enrollNode(id, generateIdentity().publicKeyHex);
    const sealer = chainSealer(id);
    const pending: LedgerEntry[] = [];
    return {
      /** One movement per EPC, observed at `at`. */
      move(
        kind: "receive" | "putaway" | "pick" | "ship" | "sale" | "adjust",
        epcs: string[],
        place: { from: string | null; to: string | null },
        at: string,
        extra: { order?: string; customer?: string } = {},
      ) {
        for (const epc of epcs)
          pending.push(
            sealer.seal(
              "movement",
              {
                epc,
                sku: "SKU-1",
                kind,
                ...place,
                reader: "r1",
                antennas: [1],
                reads: 3,
                at,
                ...extra,
              },
              at,
            ),
          );
      },
      /** A counter sale `id` (its movements follow it in the chain). */
      sale(id: string, at: string, customer?: string) {
        pending.push(
          sealer.seal(
            "sale",
            {
              id,
              payment: customer ? "account" : "cash",
              ...(customer ? { customer } : {}),
              clerk: "alice",
              currency: "EUR",
              lines: [
                {
                  sku: "SKU-1",
                  name: "x",
                  epcs: [],
                  quantity: 1,
                  unitPrice: 1000,
                  lineTotal: 1000,
                },
              ],
              total: 1000,
              at,
            },
            at,
          ),
        );
      },
      /** Stores what was pushed since the last call, received at the clock's time. */
      sync() {
        store.appendEntries(id, pending.splice(0));
      },
    };
  };

  const close = async () => {
    store.close();
    await rm(dir, { recursive: true, force: true });
  };
  return { dir, clock, store, token, deps, app, get, customer, importInvoices, node, close };
}
export type EpcisSiteSetup = Awaited<ReturnType<typeof epcisSite>>;
