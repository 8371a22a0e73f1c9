import { readdir, readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { type GatewayServer, serveGateway } from "@comptoir/gateway";
import {
  type EpcisSiteSetup,
  epcisSchemaErrors,
  epcisSite,
  FACTORY_EPC,
  sgtin,
} from "@comptoir/gateway/testing";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "./support/run-cli.js";

/** `comptoir export epcis` (issue 18) against a gateway on a real loopback port. */

let s: EpcisSiteSetup;
let server: GatewayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  await s?.close();
});

interface Document {
  epcisBody: { eventList: { bizStep: string; epcList: string[] }[] };
}

/** A site with a receipt, a put-away and a shipment, served on port 0; a token of each role. */
async function gateway() {
  s = await epcisSite({ timeZone: "Europe/Paris" });
  const dock = s.node("dock-1");
  const shelf = s.node("shelf-1");
  const tags = [sgtin(1), sgtin(2), FACTORY_EPC];
  s.clock.set("2026-03-02T08:01:00.000Z");
  dock.move("receive", tags, { from: null, to: "dock" }, "2026-03-02T08:00:00.000Z");
  dock.sync();
  s.clock.set("2026-03-02T08:31:00.000Z");
  shelf.move("putaway", tags, { from: "dock", to: "shelf-A" }, "2026-03-02T08:30:00.000Z");
  shelf.sync();
  s.clock.set("2026-03-02T10:01:00.000Z");
  dock.move("ship", tags.slice(0, 1), { from: "dock", to: null }, "2026-03-02T10:00:00.000Z");
  dock.sync();
  server = await serveGateway(s.deps, { host: "127.0.0.1", port: 0 });
  const url = server.url;
  const run = (args: string[], role: "viewer" | "counter" = "viewer") =>
    runCli(["export", "epcis", "--gateway", url, ...args], { COMPTOIR_TOKEN: s.token[role] });
  return { url, run };
}

describe("comptoir export epcis", () => {
  it("writes the whole document to --out by way of a temporary name, valid against GS1's schema", async () => {
    const g = await gateway();
    const out = join(s.dir, "march.jsonld");
    const result = await g.run(["--out", out, "--to", "2026-03-02T09:00:00Z"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`wrote ${out}: 2 events\n`);
    const document = JSON.parse(await readFile(out, "utf8")) as Document;
    expect(epcisSchemaErrors(document)).toEqual([]);
    expect(document.epcisBody.eventList.map((e) => e.bizStep)).toEqual(["receiving", "storing"]);
    // No temporary file is left beside it.
    expect((await readdir(s.dir)).filter((name) => name.includes("march"))).toEqual([
      "march.jsonld",
    ]);
  });

  it("streams to stdout, one step or one item", async () => {
    const g = await gateway();
    const shipped = await g.run(["--biz-step", "shipping"]);
    expect(shipped.code).toBe(0);
    expect(shipped.stderr).toBe("1 event written\n");
    const document = JSON.parse(shipped.stdout) as Document;
    expect(epcisSchemaErrors(document)).toEqual([]);
    expect(document.epcisBody.eventList).toMatchObject([
      { bizStep: "shipping", epcList: ["urn:epc:id:sgtin:4012345.012345.1"] },
    ]);
    const item = await g.run(["--epc", FACTORY_EPC.toLowerCase()]);
    expect((JSON.parse(item.stdout) as Document).epcisBody.eventList.map((e) => e.epcList)).toEqual(
      [[`urn:comptoir:lyon-1:tag:${FACTORY_EPC}`], [`urn:comptoir:lyon-1:tag:${FACTORY_EPC}`]],
    );
  });

  it("names bad options as the gateway found them (2), a refused role and no gateway (1), writing nothing", async () => {
    const g = await gateway();
    const out = join(s.dir, "bad.jsonld");
    const bad = await g.run(["--from", "yesterday", "--biz-step", "counting", "--out", out]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--from: .*--biz-step: /);
    const counter = await g.run(["--out", out], "counter");
    expect(counter.code).toBe(1);
    expect(counter.stderr).toMatch(/refused the export \(HTTP 403\).*role admin, accounting/);
    const down = await runCli(
      ["export", "epcis", "--gateway", "http://127.0.0.1:1", "--out", out],
      { COMPTOIR_TOKEN: s.token.viewer },
    );
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/cannot reach the gateway at http:\/\/127\.0\.0\.1:1/);
    expect((await readdir(s.dir)).filter((name) => name.includes("bad"))).toEqual([]);
  });

  it("keeps nothing of an export cut short, and says so (1)", async () => {
    s = await epcisSite();
    // A gateway that dies mid-document: the head and one event, then the connection drops.
    const broken = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/ld+json" });
      res.write(
        '{"@context":[],"type":"EPCISDocument","epcisBody":{"eventList":[\n{"type":"ObjectEvent"}',
      );
      setTimeout(() => res.destroy(), 20);
    });
    await new Promise<void>((resolve) => broken.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(broken.address() as AddressInfo).port}`;
      const out = join(s.dir, "cut.jsonld");
      const result = await runCli(["export", "epcis", "--gateway", url, "--out", out], {
        COMPTOIR_TOKEN: s.token.viewer,
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/stopped before the end of the document.*run it again/);
      expect((await readdir(s.dir)).filter((name) => name.includes("cut"))).toEqual([]);
    } finally {
      broken.close();
    }
  });
});
