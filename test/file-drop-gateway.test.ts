import { mkdtemp, readdir, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { GatewayConfigSchema } from "@comptoir/firmware-config";
import { GatewayCore } from "@comptoir/gateway";
import { invoiceCsvTemplate } from "@comptoir/gateway/invoice-files";
import { afterEach, describe, expect, it } from "vitest";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("a gateway with fileDrop.directory set", () => {
  it("creates the inbound folders, imports what is dropped while it runs, and shows it at GET /file-drop", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "comptoir-file-drop-gateway-"));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const config = GatewayConfigSchema.parse({
      gateway: { site: "lyon-1" },
      mqtt: { embedded: { port: 0 } },
      fileDrop: { directory: "exchange", pollMs: 100, settleMs: 0 },
    });
    const gateway = await GatewayCore.start({
      config,
      dataDir,
      listen: { host: "127.0.0.1", port: 0 },
    });
    cleanups.push(() => gateway.stop());
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${gateway.url}/api/v1${path}`, {
        ...init,
        headers: {
          authorization: `Bearer ${gateway.firstAdminToken}`,
          "content-type": "application/json",
        },
      });
    const created = await api("/customers", {
      method: "POST",
      body: JSON.stringify({
        id: "acme",
        name: "ACME",
        creditLimit: "unlimited",
        paymentTermsDays: 30,
      }),
    });
    expect(created.status).toBe(201);

    const inbound = join(dataDir, "exchange", "inbound", "invoices");
    // The folders exist once the first scan ran (started after the API, not awaited by the start).
    for (let i = 0; i < 100 && !(await readdir(inbound).catch(() => null)); i++) await sleep(50);
    await writeFile(join(inbound, "export.csv.tmp"), invoiceCsvTemplate());
    await rename(join(inbound, "export.csv.tmp"), join(inbound, "export.csv"));

    // A hang guard, not a measure: the drop lists the folder every 100 ms.
    let files: { name: string; outcome: string; count: number }[] = [];
    for (let i = 0; i < 200 && files.length === 0; i++) {
      await sleep(50);
      files = ((await (await api("/file-drop")).json()) as { files: typeof files }).files;
    }
    expect(files).toMatchObject([{ name: "export.csv", outcome: "imported", count: 2 }]);
    const invoices = (await (await api("/invoices")).json()) as { invoices: { number: string }[] };
    expect(invoices.invoices.map((invoice) => invoice.number).sort()).toEqual([
      "AV-2026-0001",
      "F-2026-0001",
    ]);
    expect(await readdir(join(inbound, "archive"))).toEqual(["export.csv"]);
  });
});
