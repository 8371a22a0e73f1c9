import {
  IsoUtcSchema,
  MOVEMENT_KINDS,
  type MovementData,
  MovementDataSchema,
} from "@comptoir/contracts";

const EPC = /^[0-9A-F]{8,64}$/;
/** Zone, reader and customer ids share this alphabet (ZoneSchema, TopicIdSchema). */
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const GTIN = /^[0-9]{14}$/;
const KINDS: ReadonlySet<unknown> = new Set(MOVEMENT_KINDS);

/**
 * A movement entry's data, checked as contracts' MovementDataSchema does,
 * or undefined when it is not one (such an entry is stored but changes no
 * projection).
 *
 * The projector runs this once per movement inside the ingest transaction,
 * where zod's strict-object parse cost about as much as verifying the
 * entry. So the common case is checked by hand first: `plainMovement` is
 * never looser than the schema (the tests hold it to that on generated
 * data), only faster. Whatever it does not accept goes to the schema, which
 * stays the authority.
 */
export function movementData(value: unknown): MovementData | undefined {
  if (plainMovement(value)) return value;
  const parsed = MovementDataSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** True only for data the schema accepts; false sends it to the schema (which may accept it too). */
export function plainMovement(value: unknown): value is MovementData {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  const data = value as Record<string, unknown>;
  let required = 0;
  for (const key of Object.keys(data)) {
    const field = data[key];
    switch (key) {
      case "epc":
        if (!(typeof field === "string" && EPC.test(field))) return false;
        required++;
        break;
      case "sku":
        if (!(field === null || boundedString(field, 64))) return false;
        required++;
        break;
      case "kind":
        if (!KINDS.has(field)) return false;
        required++;
        break;
      case "from":
      case "to":
        if (!(field === null || (typeof field === "string" && NAME.test(field)))) return false;
        required++;
        break;
      case "reader":
        if (!(typeof field === "string" && NAME.test(field))) return false;
        required++;
        break;
      case "antennas":
        if (!antennas(field)) return false;
        required++;
        break;
      case "reads":
        if (!(Number.isSafeInteger(field) && (field as number) >= 1)) return false;
        required++;
        break;
      case "at":
        if (!(typeof field === "string" && IsoUtcSchema.safeParse(field).success)) return false;
        required++;
        break;
      case "gtin":
        if (!(typeof field === "string" && GTIN.test(field))) return false;
        break;
      case "rssi":
        if (!(typeof field === "number" && field >= -128 && field <= 20)) return false;
        break;
      case "order":
        if (!boundedString(field, 64)) return false;
        break;
      case "customer":
        if (!(typeof field === "string" && NAME.test(field))) return false;
        break;
      case "reason":
        if (!boundedString(field, 200)) return false;
        break;
      default:
        return false; // a member the schema does not know: strict, refused
    }
  }
  // epc, sku, kind, from, to, reader, antennas, reads, at: each found once (keys are unique).
  return required === 9;
}

function boundedString(value: unknown, max: number): boolean {
  return typeof value === "string" && value.length >= 1 && value.length <= max;
}

function antennas(value: unknown): boolean {
  if (!Array.isArray(value) || value.length < 1 || value.length > 64) return false;
  for (const antenna of value)
    if (!(Number.isSafeInteger(antenna) && antenna >= 1 && antenna <= 64)) return false;
  return true;
}
