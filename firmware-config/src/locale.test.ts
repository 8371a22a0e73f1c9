import { describeProblem } from "@comptoir/contracts";
import { describe, expect, it } from "vitest";
import { GatewayConfigSchema } from "./gateway.js";
import { ConfigError, parseConfigText } from "./load.js";
import { NodeConfigSchema } from "./node.js";

function problemsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map(describeProblem);
    throw error;
  }
  throw new Error("expected a ConfigError");
}

const gateway = (extra: string) => `gateway:\n  site: lyon-1\n${extra}`;
const node = (extra: string) => `node:\n  id: pos-1\n  site: lyon-1\n  role: counter\n${extra}`;

describe("the site's locale in the configs", () => {
  it("reads the gateway's locale and zone, and defaults to en-GB without a zone", () => {
    const set = parseConfigText(
      gateway("  locale: fr-FR\n  timeZone: Europe/Paris\n"),
      "gateway.yaml",
      GatewayConfigSchema,
      {},
    );
    expect(set.config.gateway).toMatchObject({ locale: "fr-FR", timeZone: "Europe/Paris" });
    const unset = parseConfigText(gateway(""), "gateway.yaml", GatewayConfigSchema, {});
    expect(unset.config.gateway.locale).toBe("en-GB");
    expect(unset.config.gateway.timeZone).toBeUndefined();
  });

  it("refuses a tag that is not BCP 47, naming the key", () => {
    const problems = problemsOf(() =>
      parseConfigText(gateway("  locale: fr_FR\n"), "gateway.yaml", GatewayConfigSchema, {}),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain("gateway.locale");
    expect(problems[0]).toContain('"fr_FR" is not a BCP 47 language tag');
  });

  it("refuses a well-formed tag no formatting data exists for, naming the key", () => {
    const problems = problemsOf(() =>
      parseConfigText(node("  locale: xx-YY\n"), "node.yaml", NodeConfigSchema, {}),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain("node.locale");
    expect(problems[0]).toContain("no formatting data");
  });

  it("refuses an unknown time zone and a currency that is not ISO 4217, naming the keys", () => {
    const problems = problemsOf(() =>
      parseConfigText(
        node("  timeZone: Europe/Lyon\n  currency: euro\n"),
        "node.yaml",
        NodeConfigSchema,
        {},
      ),
    );
    expect(problems.join("\n")).toMatch(/node\.timeZone.*IANA time zone/);
    expect(problems.join("\n")).toMatch(/node\.currency.*ISO 4217/);
  });

  it("takes the node's fallback locale from the environment too", () => {
    const { config } = parseConfigText(node(""), "node.yaml", NodeConfigSchema, {
      COMPTOIR_NODE_LOCALE: "fr-FR",
    });
    expect(config.node.locale).toBe("fr-FR");
  });
});
