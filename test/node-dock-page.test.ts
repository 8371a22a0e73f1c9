import type { CreditReason, NodeAlert, OrderStateMessage } from "@comptoir/contracts";
import { FakeNodeApi } from "@comptoir/device/http/testing";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { nodePages, screenshot } from "./support/node-page.js";

// Issue 15 on the node's pages, in a real headless Chromium against the
// node's HTTP app over a fake NodeApi the test drives: a held order refused
// at the dock with its reasons, the order's state next to it, and the
// "goods left under credit hold" banner, live and for a page opened later.

const open = nodePages({ refused: [422] });

const OVER_LIMIT: CreditReason[] = [
  { code: "over-limit", message: "over the credit limit by 50.00" },
  { code: "overdue", message: "INV-9: 600.00 overdue by 35 days" },
];

function held(order: string, version = 1): OrderStateMessage {
  return {
    order,
    customer: "acme",
    customerName: "ACME Joinery",
    state: "held",
    reasons: OVER_LIMIT,
    version,
    asOf: "2026-12-07T08:00:00.000Z",
  };
}

function breach(order: string, seq: number): NodeAlert {
  return {
    kind: "hold-breach",
    message: `goods left under credit hold: ${order} (ACME Joinery) — over the credit limit by 50.00`,
    order,
    customer: "acme",
    customerName: "ACME Joinery",
    state: "held",
    reasons: OVER_LIMIT.slice(0, 1),
    offline: seq % 2 === 0,
    at: "2026-12-07T09:00:00.000Z",
    seq,
  };
}

async function setDock(page: Page, order: string) {
  await page.locator("#dock-form [name=order]").fill(order);
  await page.locator("#dock-form button[type=submit]").click();
}

describe("the dock form (station and warehouse pages)", () => {
  for (const [role, path] of [
    ["station", "/station"],
    ["portal", "/warehouse"],
  ] as const) {
    it(`${path}: refuses a held order with its reasons, then shows a released one's state`, async () => {
      const api = new FakeNodeApi({ nodeId: "dock-1", role });
      api.putOrderState(held("SO-1"));
      const { page, problems } = await open(api, path);

      await setDock(page, "SO-1");
      const refusal = page.locator("#dock-refusal");
      await refusal.waitFor();
      expect(await refusal.locator("strong").textContent()).toBe(
        "order SO-1 (ACME Joinery) is held for credit: over the credit limit by 50.00; INV-9: 600.00 overdue by 35 days — it may go to the dock once released",
      );
      expect(await refusal.locator("li").allTextContents()).toEqual([
        "over the credit limit by 50.00",
        "INV-9: 600.00 overdue by 35 days",
      ]);
      expect(await page.locator("#dock-current").textContent()).toBe("none");
      expect(api.dockOrder().order).toBeNull();
      await screenshot(page, `dock-refused-${role}`);

      api.putOrderState({ ...held("SO-1", 2), state: "released", reasons: [] });
      await setDock(page, "SO-1");
      await expect.poll(() => page.locator("#dock-current").textContent()).toBe("SO-1 for acme");
      expect(await page.locator("#dock-state").textContent()).toBe("released");
      expect(await refusal.isHidden()).toBe(true);

      // The hold comes back while the page is open: the state next to the order says so.
      api.putOrderState(held("SO-1", 3));
      await expect
        .poll(() => page.locator("#dock-state").textContent())
        .toBe("held: over the credit limit by 50.00; INV-9: 600.00 overdue by 35 days");
      expect(await page.locator("#dock-state").getAttribute("data-state")).toBe("held");
      expect(problems).toEqual([]);
    });
  }
});

describe("goods left under credit hold", () => {
  for (const [role, path] of [
    ["portal", "/warehouse"],
    ["station", "/station"],
  ] as const) {
    it(`${path}: shows the banner at once, and to a page opened later`, async () => {
      const api = new FakeNodeApi({ nodeId: "dock-1", role });
      const { page, problems } = await open(api, path);
      expect(await page.locator("#alerts").isHidden()).toBe(true);

      // An alert without its time is not the documented shape: the page leaves it out.
      const { at: _at, ...timeless } = breach("SO-6", 40);
      api.raiseAlert(timeless as NodeAlert);
      api.raiseAlert(breach("SO-7", 41));
      const banner = page.locator("#alerts .alert[data-order=SO-7]");
      await banner.waitFor();
      expect(await banner.locator(".alert-text").textContent()).toBe(
        "goods left under credit hold: SO-7 (ACME Joinery) — over the credit limit by 50.00",
      );
      expect(await page.locator("#alerts").getAttribute("role")).toBe("alert");
      expect(await page.locator("#alerts .alert[data-order=SO-6]").count()).toBe(0);

      // Opened after it was raised: the page's initial data has it, with the offline note.
      api.raiseAlert(breach("SO-8", 42));
      const later = await open(api, path);
      await later.page.locator("#alerts .alert[data-order=SO-8]").waitFor();
      expect(await later.page.locator("#alerts .alert").count()).toBe(2);
      expect(await later.page.locator("#alerts .alert").first().textContent()).toContain(
        "while offline",
      );
      await screenshot(later.page, `hold-breach-${role}`);
      // Dismissed on this page only.
      await later.page.locator("#alerts .alert[data-order=SO-8] .dismiss").click();
      await expect.poll(() => later.page.locator("#alerts .alert").count()).toBe(1);
      expect(problems).toEqual([]);
      expect(later.problems).toEqual([]);
    });
  }
});
