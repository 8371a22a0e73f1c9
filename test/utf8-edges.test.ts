import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ReconciliationSetup, reconciliationSetup } from "@comptoir/gateway/testing";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "./support/run-cli.js";

/**
 * Issue 13, item 18: bytes that are not UTF-8 are refused at the gateway's
 * edges with a 400 naming the field or the line, and nothing is stored.
 */

let s: ReconciliationSetup | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

const BAD = [0xff, 0xfe, 0xc3, 0x28];
/** `before`, the bad bytes, then `after`, as one body. */
const withBadBytes = (before: string, after: string) =>
  new Uint8Array([...new TextEncoder().encode(before), ...BAD, ...new TextEncoder().encode(after)]);

/** A fresh gateway (closed after the test), and its answer to `route` given `before`, the bad bytes, then `after`. */
async function postWithBadBytes(route: string, type: string, before: string, after: string) {
  const gateway = await reconciliationSetup("2026-03-20T12:00:00.000Z");
  s = gateway;
  const res = await gateway.call("POST", route, { raw: withBadBytes(before, after), type });
  return { gateway, res };
}

describe("invalid UTF-8 at the gateway", () => {
  it("POST /customers with invalid UTF-8 in the name is a 400 naming name, and no customer is stored", async () => {
    const { gateway, res } = await postWithBadBytes(
      "/customers",
      "application/json",
      '{"id":"acme","name":"ACME ',
      '","creditLimit":"unlimited"}',
    );
    expect(res.status, res.text).toBe(400);
    expect(res.body.error.path).toBe("name");
    expect(res.body.error.message).toContain("not valid UTF-8");
    expect((await gateway.call("GET", "/customers/acme")).status).toBe(404);
  });

  it("a CSV invoice file that is not UTF-8 is a 400 naming its line, nothing imported", async () => {
    s = await reconciliationSetup("2026-03-20T12:00:00.000Z");
    await s.customer("acme");
    const res = await s.call("POST", "/invoices/import", {
      raw: withBadBytes(
        "number,customer,issue_date,due_date,sku,quantity,unit_price\nF-1,acme,2026-03-01,2026-03-31,SKU-",
        ",1,10.00\n",
      ),
      type: "text/csv",
    });
    expect(res.status, res.text).toBe(400);
    expect(res.body.error.path).toBe("line 2");
    expect((await s.call("GET", "/invoices")).body.invoices).toEqual([]);
  });

  it("an XML invoice that is not UTF-8 is a 400 naming its line", async () => {
    const { res } = await postWithBadBytes(
      "/invoices/import",
      "application/xml",
      '<?xml version="1.0" encoding="UTF-8"?>\n<Invoice>',
      "</Invoice>",
    );
    expect(res.status, res.text).toBe(400);
    expect(res.body.error.path).toBe("line 2");
  });

  it("a bank CSV that is not UTF-8 is a 400 naming its line, no payment recorded", async () => {
    const { gateway, res } = await postWithBadBytes(
      "/payments/import",
      "text/csv",
      "id,date,amount,label\nP1,2026-03-10,50.00,VIR ",
      "\n",
    );
    expect(res.status, res.text).toBe(400);
    expect(res.body.error.path).toBe("line 2");
    expect((await gateway.call("GET", "/payments")).body.payments).toEqual([]);
  });
});

describe("invalid UTF-8 in comptoir import", () => {
  it("refuses a CSV file that is not UTF-8, naming its line, and sends nothing", async () => {
    const dir = await mkdtemp(join(tmpdir(), "comptoir-utf8-"));
    try {
      const file = join(dir, "invoices.csv");
      await writeFile(
        file,
        withBadBytes(
          "number,issue_date,currency,customer,net_total,vat_total,gross_total\nF-1,2026-03-01,EUR,acme,1.00,0.00,1.00\nF-",
          "2,2026-03-01,EUR,acme,1.00,0.00,1.00\n",
        ),
      );
      // Port 9 (discard): were anything sent, the error would be that the gateway cannot be reached.
      const run = await runCli(["import", "invoices", file, "--gateway", "http://127.0.0.1:9"], {
        COMPTOIR_TOKEN: "unused",
      });
      expect(run.code).not.toBe(0);
      expect(run.stderr).toContain("is not valid UTF-8 at line 3");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
