// Regenerates firmware-config/schema/*.schema.json from the zod schemas.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { configJsonSchemas } from "@comptoir/firmware-config";

const dir = join(import.meta.dirname, "..", "firmware-config", "schema");
for (const [name, text] of Object.entries(configJsonSchemas())) {
  writeFileSync(join(dir, `${name}.schema.json`), text);
  process.stdout.write(`wrote firmware-config/schema/${name}.schema.json\n`);
}
