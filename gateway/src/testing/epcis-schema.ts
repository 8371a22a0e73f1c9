import { readFileSync } from "node:fs";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";

// ajv-formats is CommonJS with `exports.default`: under NodeNext the default import is the module.
type AddFormats = typeof addFormatsModule.default;
const addFormats: AddFormats =
  (addFormatsModule as unknown as { default?: AddFormats }).default ??
  (addFormatsModule as unknown as AddFormats);

let compiled: ValidateFunction | undefined;

/** GS1's official EPCIS 2.0 JSON Schema, kept verbatim in gateway/src/epcis/fixtures (see its README); compiled once, when first used. */
function validator(): ValidateFunction {
  if (!compiled) {
    const schema = JSON.parse(
      readFileSync(new URL("../epcis/fixtures/EPCIS-JSON-Schema.json", import.meta.url), "utf8"),
    ) as object;
    // Ajv's default class is draft-07, the schema's own; formats ("uri", "date-time") need ajv-formats.
    const ajv = new Ajv({ allErrors: true });
    addFormats(ajv);
    compiled = ajv.compile(schema);
  }
  return compiled;
}

/** The problems GS1's schema finds in `document` ("/epcisBody/eventList/0/epcList/0 must match format \"uri\""); none when valid. */
export function epcisSchemaErrors(document: unknown): string[] {
  const validate = validator();
  if (validate(document)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || "/"} ${error.message}`);
}
