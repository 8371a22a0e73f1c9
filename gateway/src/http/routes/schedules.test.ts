import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { FileDropConfigSchema, SchedulesConfigSchema } from "@comptoir/firmware-config";
import { afterEach, describe, expect, it } from "vitest";
import { PeriodicReconciliation } from "../../reconciliation/periodic.js";
import { gatewayJobs } from "../../schedules/gateway-jobs.js";
import { Scheduler } from "../../schedules/scheduler.js";
import {
  invoiceJson,
  type ReconciliationSetup,
  reconciliationSetup,
} from "../../testing/gateway-app.js";
import { ManualTimers } from "../../testing/manual-timers.js";
import { ValuationService } from "../../valuation/service.js";
import { createGatewayApp } from "../app.js";

let s: ReconciliationSetup | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

const PARIS = "Europe/Paris";

/**
 * A site on Friday 20 March 2026 with one invoice 19 days overdue, and an
 * API whose scheduler has the gateway's jobs with a file drop in `drop/`.
 */
async function site() {
  const setup = await reconciliationSetup("2026-03-20T12:00:00.000Z");
  s = setup;
  await setup.customer("acme");
  const body = invoiceJson("A1", "acme", [["WID", 1, 10000]], {
    issueDate: "2026-03-01",
    dueDate: "2026-03-01",
  });
  expect((await setup.call("POST", "/invoices", { body })).status).toBe(201);
  const { store, clock, credit } = setup;
  const reconciliation = new PeriodicReconciliation({
    store,
    catalog: credit.catalog,
    events: { lastId: () => 0, since: () => [], subscribe: () => () => {} },
    clock,
  });
  const scheduler = new Scheduler({
    db: store.db,
    jobs: gatewayJobs({
      config: {
        schedules: SchedulesConfigSchema.parse({}),
        fileDrop: FileDropConfigSchema.parse({ directory: "drop" }),
        dunning: {},
      },
      dataDir: setup.dir,
      timeZone: PARIS,
      store,
      credit,
      valuation: new ValuationService({ db: store.db, clock }),
      reconcile: () => reconciliation.runNow(),
      clock,
    }),
    timeZone: PARIS,
    clock,
    timers: new ManualTimers(clock),
  });
  const app = createGatewayApp({
    store,
    ledger: setup.ledger,
    tokens: setup.tokens,
    clock,
    credit,
    orders: setup.orders,
    schedules: scheduler,
  });
  const call = async (method: string, path: string, role: "admin" | "accounting" | "viewer") => {
    const res = await app.request(`/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${setup.token[role]}` },
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  return { setup, scheduler, call };
}

describe("GET /schedules and POST /schedules/:job/run", () => {
  it("list each job with its expression in the site's zone and its next run", async () => {
    const { call } = await site();
    const res = await call("GET", "/schedules", "viewer");
    expect(res.status).toBe(200);
    expect(res.body.timeZone).toBe(PARIS);
    expect(res.body.jobs).toEqual([
      expect.objectContaining({
        job: "dunning",
        expression: "0 7 * * 1-5",
        timeZone: PARIS,
        enabled: true,
        unavailable: null,
        // Monday 23 March, 07:00 in Paris (winter time until the 29th).
        nextRunAt: "2026-03-23T06:00:00.000Z",
        lastRun: null,
      }),
      expect.objectContaining({
        job: "reconciliation",
        expression: "*/15 * * * *",
        nextRunAt: "2026-03-20T12:15:00.000Z",
      }),
      expect.objectContaining({
        job: "exports",
        expression: "30 23 * * *",
        nextRunAt: "2026-03-20T22:30:00.000Z",
      }),
    ]);
  });

  it("run the dunning job now as POST /dunning/run would: the letter once, the outcome kept", async () => {
    const { setup, call } = await site();
    const run = await call("POST", "/schedules/dunning/run", "admin");
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({
      job: "dunning",
      trigger: "manual",
      outcome: "ok",
      summary: "1 sent, 0 held, 0 not delivered",
      error: null,
    });
    expect(await readdir(join(setup.dir, "outbox", "dunning"))).toHaveLength(1);
    const again = await call("POST", "/schedules/dunning/run", "admin");
    expect(again.body.summary).toBe("0 sent, 0 held, 0 not delivered");
    const list = await call("GET", "/schedules", "accounting");
    const dunning = (list.body.jobs as { job: string }[]).find((job) => job.job === "dunning");
    expect(dunning).toMatchObject({
      lastSlot: null,
      running: false,
      lastRun: { trigger: "manual", outcome: "ok", summary: "0 sent, 0 held, 0 not delivered" },
    });
  });

  it("run the exports now into <fileDrop.directory>/outbound", async () => {
    const { setup, call } = await site();
    const run = await call("POST", "/schedules/exports/run", "admin");
    expect(run.status).toBe(200);
    expect(run.body.outcome).toBe("ok");
    expect((await readdir(join(setup.dir, "drop", "outbound"))).sort()).toEqual([
      "aged-balance_20260320T120000Z.csv",
      "payment-letters_20260320T120000Z.csv",
      "reconciliation_20260320T120000Z.csv",
      "valuation_20260320T120000Z.csv",
    ]);
  });

  it("refuse an unknown job with the list of jobs, and anyone but an admin", async () => {
    const { call } = await site();
    const unknown = await call("POST", "/schedules/payroll/run", "admin");
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({
      code: "not_found",
      message: 'no job "payroll": the jobs are dunning, reconciliation, exports',
    });
    const forbidden = await call("POST", "/schedules/dunning/run", "accounting");
    expect(forbidden.status).toBe(403);
  });

  it("without a file drop, the exports job is shown unavailable and refused with what to set", async () => {
    const setup = await reconciliationSetup("2026-03-20T12:00:00.000Z");
    s = setup;
    const list = await setup.call("GET", "/schedules", { role: "viewer" });
    const exports = (list.body.jobs as { job: string }[]).find((job) => job.job === "exports");
    expect(exports).toMatchObject({ enabled: true, nextRunAt: null });
    const refused = await setup.call("POST", "/schedules/exports/run", { role: "admin" });
    expect(refused.status).toBe(422);
    expect(refused.body.error.message).toMatch(/set fileDrop\.directory in the gateway config/);
  });
});
