import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { ManualClock } from "@comptoir/contracts";
import { GatewayConfigSchema } from "@comptoir/firmware-config";
import { describe, expect, it } from "vitest";
import { GatewayCore } from "../index.js";
import { cleanupAfterEach, tempDir } from "../testing/broker.js";

/**
 * The scheduler inside a running gateway: its jobs from the config, in the
 * site's zone, started after the API, a run missed while the gateway was
 * stopped done once at the next start and not at the one after.
 */

const defer = cleanupAfterEach();

const config = GatewayConfigSchema.parse({
  gateway: { site: "lyon-1", timeZone: "Europe/Paris" },
  mqtt: { embedded: { port: 0 } },
  fileDrop: { directory: "drop" },
  schedules: { reconciliation: { enabled: false } },
});

interface Job {
  job: string;
  nextRunAt: string | null;
  lastSlot: string | null;
  lastRun: { trigger: string; outcome: string; summary: string; startedAt: string } | null;
}

async function schedules(gateway: GatewayCore, token: string): Promise<Record<string, Job>> {
  const res = await fetch(`${gateway.url}/api/v1/schedules`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { jobs: Job[] };
  return Object.fromEntries(body.jobs.map((job) => [job.job, job]));
}

/** GET /schedules until `done` holds (a catch-up runs after the start returns). */
async function until(
  gateway: GatewayCore,
  token: string,
  done: (jobs: Record<string, Job>) => boolean,
): Promise<Record<string, Job>> {
  for (let i = 0; i < 200; i++) {
    const jobs = await schedules(gateway, token);
    if (done(jobs)) return jobs;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("the catch-up runs did not end");
}

describe("the gateway's schedules", () => {
  it("run a missed dunning and export once at the next start, and not again after another", async () => {
    const dataDir = await tempDir(defer, "comptoir-gateway-schedules-");
    // Monday 12 January 2026, 05:00 in Paris: the gateway's first start.
    const clock = new ManualClock("2026-01-12T04:00:00.000Z");
    const first = await GatewayCore.start({
      config,
      dataDir,
      clock,
      listen: { host: "127.0.0.1", port: 0 },
    });
    const token = first.firstAdminToken ?? "";
    const fresh = await schedules(first, token);
    expect(fresh.dunning).toMatchObject({ nextRunAt: "2026-01-12T06:00:00.000Z", lastRun: null });
    expect(fresh.exports).toMatchObject({ nextRunAt: "2026-01-12T22:30:00.000Z", lastRun: null });
    expect(fresh.reconciliation?.nextRunAt).toBeNull();
    await first.stop();

    // Stopped until Thursday 10:00 in Paris: three nights' exports and four mornings' dunning missed.
    clock.set("2026-01-15T09:00:00.000Z");
    const second = await GatewayCore.start({
      config,
      dataDir,
      clock,
      listen: { host: "127.0.0.1", port: 0 },
    });
    const caught = await until(
      second,
      token,
      (jobs) => jobs.dunning?.lastRun !== null && jobs.exports?.lastRun !== null,
    );
    expect(caught.dunning).toMatchObject({
      lastSlot: "2026-01-15T06:00:00.000Z",
      nextRunAt: "2026-01-16T06:00:00.000Z",
      lastRun: { trigger: "catch-up", outcome: "ok", summary: "0 sent, 0 held, 0 not delivered" },
    });
    expect(caught.exports).toMatchObject({
      lastSlot: "2026-01-14T22:30:00.000Z",
      lastRun: { trigger: "catch-up", outcome: "ok" },
    });
    const outbound = join(dataDir, "drop", "outbound");
    const files = (await readdir(outbound)).sort();
    expect(files).toEqual([
      "aged-balance_20260115T090000Z.csv",
      "payment-letters_20260115T090000Z.csv",
      "reconciliation_20260115T090000Z.csv",
      "valuation_20260115T090000Z.csv",
    ]);
    await second.stop();

    clock.set("2026-01-15T09:30:00.000Z");
    const third = await GatewayCore.start({
      config,
      dataDir,
      clock,
      listen: { host: "127.0.0.1", port: 0 },
    });
    defer(() => third.stop());
    const after = await schedules(third, token);
    expect(after.dunning?.lastRun?.startedAt).toBe("2026-01-15T09:00:00.000Z");
    expect(after.exports?.lastRun?.startedAt).toBe("2026-01-15T09:00:00.000Z");
    expect((await readdir(outbound)).sort()).toEqual(files);
  });
});
