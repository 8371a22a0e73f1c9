import { describeProblem } from "@comptoir/contracts";
import { describe, expect, it } from "vitest";
import { GatewayConfigSchema } from "./gateway.js";
import { ConfigError, parseConfigText } from "./load.js";

function problemsOf(text: string): string[] {
  try {
    parseConfigText(text, "gateway.yaml", GatewayConfigSchema, {});
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map(describeProblem);
    throw error;
  }
  throw new Error("expected a ConfigError");
}

const gateway = (webhooks: string) => `gateway:\n  site: lyon-1\nwebhooks:\n${webhooks}`;

describe("the gateway config's webhooks", () => {
  it("reads a subscription and fills in the delivery defaults", () => {
    const { config } = parseConfigText(
      gateway(
        "  subscriptions:\n    - id: erp\n      url: https://erp.lan/events\n      secretFile: erp.secret\n      events: ['*']\n",
      ),
      "gateway.yaml",
      GatewayConfigSchema,
      {},
    );
    expect(config.webhooks.subscriptions).toEqual([
      { id: "erp", url: "https://erp.lan/events", secretFile: "erp.secret", events: ["*"] },
    ]);
    expect(config.webhooks.delivery).toEqual({
      maxAttempts: 24,
      backoffBaseMs: 1000,
      backoffMaxMs: 3_600_000,
      timeoutMs: 10_000,
      pollMs: 1000,
    });
    expect(config.webhooks.retentionDays).toBe(30);
  });

  it("lists every problem of the subscriptions with its path", () => {
    const problems = problemsOf(
      gateway(
        [
          "  subscriptions:",
          "    - id: erp",
          "      url: ftp://erp.lan/events",
          "      secret: too-short",
          "      events: [payment.applied, payment.sent]",
          "    - id: erp",
          "      url: http://bi.lan/in",
          "      secret: long-enough-secret-0123",
          "      secretFile: bi.secret",
          "      events: []",
          "  delivery:",
          "    backoffBaseMs: 5000",
          "    backoffMaxMs: 1000",
          "",
        ].join("\n"),
      ),
    ).join("\n");
    expect(problems).toContain("webhooks.subscriptions[0].url");
    expect(problems).toContain("must be an http:// or https:// URL");
    expect(problems).toContain("webhooks.subscriptions[0].secret");
    expect(problems).toContain("must be at least 16 characters");
    expect(problems).toContain(
      'webhooks.subscriptions[0].events[1]: must be "*" or one of invoice.imported, payment.applied',
    );
    expect(problems).toContain(
      'webhooks.subscriptions[1].events: list at least one event type, or ["*"] for all',
    );
    expect(problems).toContain("give exactly one of secret or secretFile");
    expect(problems).toContain("webhooks.delivery.backoffMaxMs");
  });

  it("refuses two subscriptions of the same id: each names its own queue", () => {
    const sub = (url: string) =>
      `    - id: erp\n      url: ${url}\n      secret: long-enough-secret-0123\n      events: ['*']\n`;
    expect(
      problemsOf(gateway(`  subscriptions:\n${sub("http://a.lan/")}${sub("http://b.lan/")}`)),
    ).toEqual(['webhooks.subscriptions[1].id: "erp" is already used by another subscription']);
  });
});
