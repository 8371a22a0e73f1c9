import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { createLogger, generateIdentity, ManualClock } from "@comptoir/contracts";
import { describe, expect, it } from "vitest";
import { GatewayLedger } from "../ledger/gateway-ledger.js";
import { Store } from "../store/store.js";
import { createGatewayApp } from "./app.js";
import type { BrokerState } from "./context.js";

async function setup(brokerState: () => BrokerState) {
  const dir = await mkdtemp(join(tmpdir(), "comptoir-500-"));
  const clock = new ManualClock("2026-11-22T09:00:00Z");
  const store = new Store(join(dir, "gateway.db"), { clock });
  const ledger = new GatewayLedger(store, generateIdentity(), { clock });
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n")) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  const logger = createLogger({ level: "info" }, sink);
  const app = createGatewayApp({ store, ledger, clock, logger, brokerState });
  return { app, lines };
}

describe("what the gateway's HTTP answers give away", () => {
  it("answers a 500 with a request id and no internal message, and logs the message under that id", async () => {
    const { app, lines } = await setup(() => {
      throw new Error("SQLITE_CORRUPT: database disk image is malformed at /srv/comptoir/gw.db");
    });
    const res = await app.request("/api/v1/health");
    expect(res.status).toBe(500);
    const body = (await res.json()) as {
      error: { code: string; message: string; requestId: string };
    };
    expect(JSON.stringify(body)).not.toMatch(/SQLITE|malformed|\/srv/);
    expect(body.error.code).toBe("internal");
    expect(body.error.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.error.message).toContain(body.error.requestId);
    expect(res.headers.get("x-request-id")).toBe(body.error.requestId);
    const logged = lines.find((line) => line.requestId === body.error.requestId);
    expect(JSON.stringify(logged)).toContain("SQLITE_CORRUPT");
  });

  it("answers 404 for dashboard assets named like Object's own properties", async () => {
    const { app } = await setup(() => ({ state: "up" }));
    for (const name of ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"]) {
      const res = await app.request(`/dashboard/assets/${name}`);
      expect(res.status, name).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: "not_found" } });
    }
  });

  it("does not show the external broker's user and password on GET /health", async () => {
    const { app } = await setup(() => ({
      state: "up",
      url: "mqtts://gateway:hunter2@broker.lan:8883",
    }));
    const res = await app.request("/api/v1/health");
    const text = await res.text();
    expect(text).not.toMatch(/hunter2|gateway:/);
    expect(JSON.parse(text)).toMatchObject({ broker: { url: "mqtts://broker.lan:8883" } });
  });
});
