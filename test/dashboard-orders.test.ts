import { HoldBreachListSchema } from "@comptoir/contracts";
import { type GatewayServer, OrderService, serveGateway } from "@comptoir/gateway";
import {
  invoiceJson,
  type ReconciliationSetup,
  reconciliationSetup,
} from "@comptoir/gateway/testing";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./support/chromium.js";
import { go, signIn } from "./support/dashboard-page.js";

// The dashboard's Orders view, its held-order count on the overview and the
// Credit page's decisions history, in a real headless Chromium against a real
// gateway (SQLite store in a temp dir, the live feed on /ws) on an ephemeral port.

const SCREENSHOTS = process.env.COMPTOIR_SCREENSHOTS;

let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
let s: ReconciliationSetup | undefined;
let server: GatewayServer | undefined;

beforeAll(async () => {
  browser = await launchChromium({
    locale: "en-US",
    timezoneId: "UTC",
    viewport: { width: 1366, height: 768 },
  });
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await s?.close();
  s = undefined;
});

/**
 * ACME (limit 1 000.00) owes invoice A1, 600.00 due 47 days ago: its order
 * SO-1 (500.00) is held, over the limit and overdue. Bistro (unlimited)
 * places SO-2, approved.
 */
async function site(): Promise<{ s: ReconciliationSetup; server: GatewayServer }> {
  const setup = await reconciliationSetup("2026-03-20T12:00:00.000Z");
  s = setup;
  await setup.customer("acme", "ACME Hardware", { limit: 100000 });
  await setup.customer("bistro", "Bistro du Port");
  await setup.product("WID", 10000);
  const a1 = invoiceJson("A1", "acme", [["WID", 6, 10000]], {
    issueDate: "2026-01-02",
    dueDate: "2026-02-01",
  });
  expect((await setup.call("POST", "/invoices", { body: a1 })).status).toBe(201);
  /** Places `quantity` WID (100.00 each) and checks the state the gateway decided. */
  const place = async (
    order: { number: string; customer: string; orderDate: string; requestedShipDate: string },
    quantity: number,
    state: "held" | "approved",
  ) => {
    const placed = await setup.call("POST", "/orders", {
      body: { ...order, lines: [{ sku: "WID", quantity, unitPrice: 10000 }] },
    });
    expect(placed.status, placed.text).toBe(201);
    expect(placed.body.state).toBe(state);
  };
  const acme = { customer: "acme", orderDate: "2026-03-19", requestedShipDate: "2026-03-25" };
  await place({ number: "SO-1", ...acme }, 5, "held");
  const bistro = { customer: "bistro", orderDate: "2026-03-20", requestedShipDate: "2026-03-27" };
  await place({ number: "SO-2", ...bistro }, 2, "approved");
  const started = await serveGateway(
    {
      store: setup.store,
      ledger: setup.ledger,
      tokens: setup.tokens,
      catalog: setup.credit.catalog,
      credit: setup.credit,
      events: setup.events,
      clock: setup.clock,
    },
    { host: "127.0.0.1", port: 0 },
  );
  server = started;
  return { s: setup, server: started };
}

async function open(url: string, token: string): Promise<{ page: Page; problems: string[] }> {
  const page = await (browser as NonNullable<typeof browser>).context.newPage();
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  await page.goto(url);
  await signIn(page, token);
  return { page, problems };
}

async function screenshot(page: Page, name: string): Promise<void> {
  if (SCREENSHOTS)
    await page.screenshot({ path: `${SCREENSHOTS}/orders-${name}.png`, fullPage: true });
}

describe("the dashboard's orders", () => {
  it("lists the held order first, with its reasons, the invoice behind them and the amount to release", async () => {
    const { server } = await site();
    const { page, problems } = await open(server.url, (s as ReconciliationSetup).token.accounting);

    // The overview counts it, with its value, and links to the Orders view.
    await page.locator("#held-count .figure").waitFor();
    expect(await page.textContent("#held-count .figure")).toBe("1");
    expect(await page.textContent("#held-value")).toBe("€500.00 held for credit");
    await page.click("#held-orders-link");
    await page.waitForSelector("body[data-page=orders]");

    const held = page.locator("#held-orders tr[data-order='SO-1']");
    await held.waitFor();
    const text = (await held.textContent()) ?? "";
    expect(text).toContain("ACME Hardware");
    expect(text).toContain("€500.00");
    expect(text).toContain("2026-03-19");
    expect(text).toContain("2026-03-25");
    // Itemised: the overdue reason names invoice A1 with what remains and how late.
    const a1 = held.locator("li[data-code=overdue] li[data-invoice=A1]");
    expect(await a1.textContent()).toBe("A1 €600.00 · 47 days overdue");
    expect(await held.locator("li[data-code=over-limit]").count()).toBe(1);
    expect(await held.locator("td.to-release").textContent()).toBe("pay €550.00 to release");
    // The other orders come after, with their state and what has left.
    const other = page.locator("#other-orders tr[data-order='SO-2']");
    expect(await other.locator(".badge").textContent()).toBe("approved");
    expect(await other.locator("td.shipped").textContent()).toBe("0 / 2");
    await screenshot(page, "held");
    // One customer's orders.
    await page.fill("#order-filters input[name=customer]", "bistro");
    await page.click("#order-filters button[type=submit]");
    await expect.poll(() => page.locator("#held-orders tr[data-order]").count()).toBe(0);
    expect(await page.locator("#other-orders tr[data-order]").count()).toBe(1);

    // Goods tagged for SO-1 leave through the dock anyway: the gateway's alert is on the page at once…
    expect(await page.locator("#hold-breaches section").count()).toBe(0);
    const setup = s as ReconciliationSetup;
    const dock = setup.node("dock-1");
    dock.move("ship", "WID", 2, "2026-03-20T11:59:00.000Z", { order: "SO-1", customer: "acme" });
    dock.sync();
    const watch = new OrderService({
      store: setup.store,
      ledger: setup.ledger,
      credit: setup.credit,
      clock: setup.clock,
      events: setup.events,
    });
    expect(watch.afterIngest("dock-1")).toHaveLength(1);
    const breach = page.locator("#hold-breaches section[role=alert] li");
    await breach.waitFor();
    expect(await breach.textContent()).toContain(
      "goods left under credit hold: SO-1 (ACME Hardware), 2 items seen leaving through dock-1",
    );
    // …and still there on a page opened after the alert.
    await page.reload();
    await page.waitForSelector("body[data-ready=true]");
    await breach.waitFor();
    expect(await breach.count()).toBe(1);
    expect(await breach.textContent()).toContain("SO-1 (ACME Hardware), 2 items");
    // Only to a role that reads orders.
    const asked = (role: "counter" | "warehouse") =>
      fetch(`${server.url}/dashboard/hold-breaches`, {
        headers: { authorization: `Bearer ${setup.token[role]}` },
      });
    expect((await asked("counter")).status).toBe(403);
    const listed = HoldBreachListSchema.parse(await (await asked("warehouse")).json());
    expect(listed.breaches).toMatchObject([
      {
        order: "SO-1",
        customer: "acme",
        customerName: "ACME Hardware",
        state: "held",
        items: 2,
        node: "dock-1",
      },
    ]);
    expect(problems).toEqual([]);
  });

  it("releases a held order on an override with a reason, and every open view follows", async () => {
    const { s, server } = await site();
    const manager = await open(server.url, s.token.accounting);
    const viewer = await open(server.url, s.token.viewer);
    for (const { page } of [manager, viewer]) {
      await go(page, "orders");
      await page.locator("#held-orders tr[data-order='SO-1']").waitFor();
    }
    // A viewer reads orders but may not release them: no button.
    expect(await viewer.page.locator("#held-orders button").count()).toBe(0);
    // The manager may cancel the held order and the approved one.
    for (const row of ["#held-orders tr[data-order='SO-1']", "#other-orders tr[data-order='SO-2']"])
      expect(await manager.page.locator(`${row} button[data-action=cancel]`).textContent()).toBe(
        "Cancel…",
      );

    const { page } = manager;
    await page.click("#held-orders tr[data-order='SO-1'] button[data-action=release]");
    const dialog = page.locator("dialog.reason");
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain("ACME Hardware");
    expect(await dialog.textContent()).toContain("€500.00");
    // The reason is mandatory: nothing is sent without one.
    await dialog.locator("button[type=submit]").click();
    expect(await dialog.locator(".error").textContent()).toBe("say why (at least 3 characters)");
    expect((await s.call("GET", "/orders/SO-1")).body.state).toBe("held");

    await dialog.locator("textarea").fill("customer paid by cheque, handed in at the desk");
    await dialog.locator("button[type=submit]").click();
    await dialog.waitFor({ state: "detached" });
    const after = await s.call("GET", "/orders/SO-1");
    expect(after.body.state).toBe("released");
    expect(after.body.history.at(-1).reason).toBe("customer paid by cheque, handed in at the desk");

    // Both views show it released, the viewer's through the live feed alone.
    for (const view of [manager, viewer]) {
      const row = view.page.locator("#other-orders tr[data-order='SO-1']");
      await row.waitFor();
      expect(await row.locator(".badge").textContent()).toBe("released");
      expect(await view.page.locator("#held-orders tr").count()).toBe(0);
      expect(await view.page.textContent("#held-orders")).toBe("no order is held");
      // The feed's last order change is named above the lists.
      await expect
        .poll(() => view.page.textContent("#last-order-change"))
        .toContain("last change: SO-1 released");
    }
    // The order's history says who released it, why, and the exposure around it.
    const step = manager.page.locator(
      "#other-orders tr[data-order='SO-1'] details.history li[data-state=released]",
    );
    await manager.page.click("#other-orders tr[data-order='SO-1'] details.history summary");
    const told = (await step.textContent()) ?? "";
    expect(told).toContain("customer paid by cheque, handed in at the desk");
    expect(told).toContain(`token:${s.tokenId.accounting}`);
    expect(told).toMatch(/exposure €\d[\d,.]* → €\d[\d,.]*/);
    // And the overview counts none.
    await go(viewer.page, "overview");
    await expect.poll(() => viewer.page.textContent("#held-count .figure")).toBe("0");
    expect([...manager.problems, ...viewer.problems]).toEqual([]);
  });

  it("lists the credit decisions from the gateway's history, still there after a reload", async () => {
    const { s, server } = await site();
    const { page, problems } = await open(server.url, s.token.accounting);
    await go(page, "credit");
    const blocked = page.locator("#decisions tr[data-decision=block][data-customer=acme]");
    await blocked.waitFor();
    const text = (await blocked.textContent()) ?? "";
    expect(text).toContain("ACME Hardware");
    expect(text).toContain("order SO-1");
    expect(text).toContain("€500.00");
    expect(text).toContain("A1 €600.00, 47 days");
    // Only blocks by default: Bistro's approval is not in the list.
    expect(await page.locator("#decisions tr[data-customer=bistro]").count()).toBe(0);

    await page.reload();
    await page.waitForSelector("body[data-ready=true]");
    await page.locator("#decisions tr[data-decision=block][data-customer=acme]").waitFor();

    // A counter's block on the live feed goes on top; its approval does not (the list shows blocks).
    const counter = {
      customer: "acme",
      node: "counter-1",
      reasons: ["exposure 1 100.00 > limit 1 000.00"],
      amount: 4200,
      currency: "EUR",
      clerk: "lea",
      offline: false,
    };
    s.events.publish("credit", {
      ...counter,
      seq: 8,
      decision: "approve",
      at: "2026-03-20T12:00:01.000Z",
    });
    s.events.publish("credit", {
      ...counter,
      seq: 9,
      decision: "block",
      at: "2026-03-20T12:00:02.000Z",
    });
    const first = page.locator("#decisions tbody tr").first();
    await expect.poll(() => first.getAttribute("data-key")).toBe("counter-1#9");
    expect(await first.textContent()).toContain("at counter-1");
    expect(await page.locator("#decisions tr[data-key='counter-1#8']").count()).toBe(0);

    // The filters ask the gateway, and hold for the feed's decisions too.
    await page.selectOption("#decision-filters select[name=outcome]", "approve");
    await page.locator("#decisions tr[data-key='counter-1#8']").waitFor();
    await page.locator("#decisions tr[data-customer=bistro]").waitFor();
    expect(await page.locator("#decisions tr[data-decision=block]").count()).toBe(0);
    await page.fill("#decision-filters input[name=customer]", "bistro");
    await page.click("#decision-filters button[type=submit]");
    await expect.poll(() => page.locator("#decisions tr[data-customer=acme]").count()).toBe(0);
    expect(await page.locator("#decisions tr[data-customer=bistro]").count()).toBe(1);
    await screenshot(page, "decisions");
    expect(problems).toEqual([]);
  });
});
