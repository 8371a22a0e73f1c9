import { siteTopics } from "@comptoir/contracts";
import { describe, expect, it } from "vitest";
import { cleanupsAfterEach, poll, SITE, setupCounter } from "./testing/counter.js";

// A node formats with its own config's locale until the gateway's arrives on
// the retained `locale` topic, then with the gateway's: its pages (GET /node)
// and its credit verdicts follow.

const cleanups = cleanupsAfterEach();
const fr = (minor: number) =>
  new Intl.NumberFormat("fr-FR", { style: "currency", currency: "EUR" }).format(minor / 100);

describe("the site's locale reaching a node", () => {
  it("uses the node's own locale first, then the gateway's once heard; a bad one changes nothing", async () => {
    const { counter, gateway } = await setupCounter(cleanups);
    const refused: string[] = [];
    counter.node.sync.on("refused", (_topic, problem) => refused.push(problem));
    expect((await counter.call("GET", "/node")).body.format).toEqual({
      locale: "en-GB",
      currency: "EUR",
      source: "node",
    });
    const before = (await counter.call("POST", "/pos/check", { customer: "acme", amount: 90_000 }))
      .body;
    expect(before.reasons[0].message).toBe(
      "exposure €5,100.00 > limit €5,000.00; available €800.00",
    );

    const topic = siteTopics(SITE).locale();
    const french = { locale: "fr-FR", currency: "EUR", timeZone: "Europe/Paris" };
    await gateway.client.publishAsync(topic, JSON.stringify(french), { qos: 1, retain: true });
    await poll(async () => (await counter.call("GET", "/node")).body.format.source).toBe("gateway");
    expect((await counter.call("GET", "/node")).body.format).toEqual({
      ...french,
      source: "gateway",
    });
    const after = (await counter.call("POST", "/pos/check", { customer: "acme", amount: 90_000 }))
      .body;
    expect(after.reasons[0].message).toBe(
      `exposure ${fr(510_000)} > limit ${fr(500_000)}; available ${fr(80_000)}`,
    );

    // A tag this Node.js has no data for is refused: the node keeps the French it had.
    await gateway.client.publishAsync(topic, JSON.stringify({ locale: "xx-YY", currency: "EUR" }), {
      qos: 1,
      retain: true,
    });
    await poll(() => refused.length).toBeGreaterThan(0);
    expect(refused.join("\n")).toContain("xx-YY");
    expect((await counter.call("GET", "/node")).body.format.locale).toBe("fr-FR");
  });
});
