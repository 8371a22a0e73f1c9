import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GatewayConfigSchema } from "./gateway.js";
import { configJsonSchemas } from "./json-schema.js";
import { loadConfigFile } from "./load.js";
import { NodeConfigSchema } from "./node.js";

const root = join(import.meta.dirname, "..");

describe("shipped configuration files", () => {
  for (const name of readdirSync(join(root, "examples"))) {
    it(`examples/${name} is valid`, () => {
      const schema = name.startsWith("gateway") ? GatewayConfigSchema : NodeConfigSchema;
      expect(() => loadConfigFile(join(root, "examples", name), schema, {})).not.toThrow();
    });
  }

  it("the published JSON Schemas are the ones the zod schemas give (run `npm run schema` after a change)", () => {
    for (const [name, text] of Object.entries(configJsonSchemas())) {
      expect(readFileSync(join(root, "schema", `${name}.schema.json`), "utf8")).toBe(text);
    }
  });
});
