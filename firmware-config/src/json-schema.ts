import { z } from "zod";
import { GatewayConfigSchema } from "./gateway.js";
import { NodeConfigSchema } from "./node.js";

/**
 * The JSON Schemas published in firmware-config/schema/, derived from the
 * zod schemas (never kept by hand), for editors and provisioning tools.
 */
export function configJsonSchemas(): Record<"node" | "gateway", string> {
  const render = (schema: z.ZodType) =>
    `${JSON.stringify(z.toJSONSchema(schema, { io: "input" }), null, 2)}\n`;
  return { node: render(NodeConfigSchema), gateway: render(GatewayConfigSchema) };
}
