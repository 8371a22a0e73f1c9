import { describe, expect, it } from "vitest";
import { overLimitMessage, withinLimitMessage } from "./over-limit.js";
import { offlineAlertMessage } from "./synced.js";

const fr = (minor: number) =>
  new Intl.NumberFormat("fr-FR", { style: "currency", currency: "EUR" }).format(minor / 100);
const standing = { customer: "acme", name: "ACME", currency: "EUR", exposure: 575_096 };

describe("credit alerts in the site's locale", () => {
  it("writes the amounts of a French site's alerts as fr-FR does, words in English", () => {
    expect(overLimitMessage({ ...standing, limit: 500_000, over: 75_096 }, "fr-FR")).toBe(
      `over credit limit: ACME (acme), exposure ${fr(575_096)} > limit ${fr(500_000)}, ${fr(75_096)} over`,
    );
    expect(withinLimitMessage({ ...standing, limit: 600_000 }, "fr-FR")).toBe(
      `back within credit limit: ACME (acme), exposure ${fr(575_096)} ≤ limit ${fr(600_000)}`,
    );
    const sales = [{ id: "S-1", node: "pos-1", seq: 3, total: 100, at: "2026-03-02T09:00:00Z" }];
    expect(
      offlineAlertMessage(
        { customer: "acme", limit: 500_000, exposure: 575_096, sales },
        "EUR",
        "fr-FR",
      ),
    ).toBe(
      `limit exceeded while offline: acme owes ${fr(575_096)} > limit ${fr(500_000)} after sales S-1 (pos-1)`,
    );
  });
});
