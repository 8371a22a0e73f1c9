/**
 * RFC 8785 JSON Canonicalization Scheme (JCS) for JSON data values.
 *
 * Object members sorted by the UTF-16 code units of their names, no
 * whitespace, strings escaped as ECMAScript's JSON.stringify does, numbers
 * in ECMAScript's shortest round-trip form. Those last two rules are exactly
 * what RFC 8785 prescribes, so the work left is the sorting.
 *
 * The reference library `canonicalize` does the same but costs about 3 µs
 * for a ledger entry (cycle tracking, a per-character surrogate scan), which
 * alone would cap verification below 300 k entries/s. This version accepts
 * only plain JSON data and is checked byte for byte against that library by
 * property tests (canonical-json.test.ts).
 */
export function canonicalJson(value: unknown): string {
  // Data built in canonical member order (as the node builds its movements)
  // is its own canonical form: one native JSON.stringify, no string pieces.
  if (typeof value === "object" && value !== null && isCanonicalOrder(value))
    return JSON.stringify(value);
  switch (typeof value) {
    case "string":
      if (!value.isWellFormed()) throw new CanonicalJsonError("a string holds a lone surrogate");
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`${value} is not a JSON number`);
      return JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    case "object":
      if (value === null) return "null";
      if (Array.isArray(value)) return canonicalArray(value);
      return canonicalObject(value as Record<string, unknown>);
    default:
      throw new CanonicalJsonError(`a ${typeof value} is not JSON data`);
  }
}

export class CanonicalJsonError extends Error {
  override name = "CanonicalJsonError";
}

function canonicalArray(items: unknown[]): string {
  let out = "[";
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out += ",";
    out += canonicalJson(items[i]);
  }
  return `${out}]`;
}

/** Names that objects always iterate first, in numeric order, whatever order they were set in. */
const ARRAY_INDEX = /^(?:0|[1-9]\d{0,9})$/;

/**
 * The last member order sorted, and whether its names can be set on a plain
 * object as they are: appends come in runs of one shape (a node's
 * movements), so most objects skip the sort and the checks of their names.
 */
let lastShape: { keys: string[]; sorted: string[]; plainNames: boolean } = {
  keys: [],
  sorted: [],
  plainNames: true,
};

function shapeOf(object: Record<string, unknown>): typeof lastShape {
  const keys = Object.keys(object);
  const last = lastShape;
  if (keys.length === last.keys.length) {
    let same = true;
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] !== last.keys[i]) {
        same = false;
        break;
      }
    }
    if (same) return last;
  }
  // Array.prototype.sort without a comparator compares UTF-16 code units,
  // the order RFC 8785 section 3.2.3 asks for.
  const sorted = [...keys].sort();
  const plainNames = sorted.every(
    (key) => !ARRAY_INDEX.test(key) && key.isWellFormed() && key !== "__proto__",
  );
  lastShape = { keys, sorted, plainNames };
  return lastShape;
}

function canonicalObject(object: Record<string, unknown>): string {
  const { sorted: keys, plainNames } = shapeOf(object);
  const sorted = plainNames ? sortedCopy(object, keys) : undefined;
  if (sorted) return JSON.stringify(sorted);
  let out = "{";
  let first = true;
  for (const key of keys) {
    const member = object[key];
    if (member === undefined) continue;
    if (!first) out += ",";
    first = false;
    out += `${canonicalJson(key)}:${canonicalJson(member)}`;
  }
  return `${out}}`;
}

/**
 * The object again with its members set in canonical order, when its
 * members are themselves canonical (a movement: strings, numbers, an array
 * of numbers): JSON.stringify of the copy is then the canonical text, built
 * natively instead of from many small strings, which at a node's append
 * rate is most of the garbage the collector has to chase. Undefined when a
 * member is to canonicalise in turn. Only for names that are plain (see
 * `shapeOf`): objects order array-index names numerically whatever the
 * insertion order, and "__proto__" would set the copy's prototype.
 */
function sortedCopy(
  object: Record<string, unknown>,
  keys: readonly string[],
): Record<string, unknown> | undefined {
  for (const key of keys) {
    const member = object[key];
    if (member !== undefined && !isCanonicalOrder(member)) return undefined;
  }
  // A plain object literal, not Object.create(null): copies of objects of one
  // shape then share V8's hidden class, which JSON.stringify reads several
  // times faster than a dictionary.
  const copy: Record<string, unknown> = {};
  for (const key of keys) if (object[key] !== undefined) copy[key] = object[key];
  return copy;
}

/**
 * Whether JSON.stringify gives `value`'s canonical form: JSON values only
 * (objects may come from callers, not only from JSON.parse, so undefined,
 * functions, bigints and class instances such as Date — whose toJSON would
 * change the text — say no), every object's members already sorted, no
 * lone surrogate, finite numbers.
 */
export function isCanonicalOrder(value: unknown): boolean {
  if (typeof value === "string") return value.isWellFormed();
  if (typeof value === "number") return Number.isFinite(value);
  if (value === null || typeof value === "boolean") return true;
  if (typeof value !== "object") return false;
  if (Array.isArray(value)) {
    // Index by index: \`every\` skips the holes of a sparse array, which JSON.stringify writes as null.
    for (let i = 0; i < value.length; i++) if (!isCanonicalOrder(value[i])) return false;
    return true;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (i > 0 && !((keys[i - 1] as string) < key)) return false;
    if (!key.isWellFormed() || !isCanonicalOrder((value as Record<string, unknown>)[key]))
      return false;
  }
  return true;
}
