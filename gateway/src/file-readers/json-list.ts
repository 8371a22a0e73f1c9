import type { InputProblem } from "@comptoir/contracts";

/** The items of a JSON file, each located as the file wrote it. */
export type JsonList =
  | {
      ok: true;
      items: unknown[];
      /** Where item `index` stands: `[3]`, `orders[3]`, or "" for a lone item. */
      at: (index: number) => string;
    }
  | { ok: false; problems: InputProblem[] };

/**
 * A JSON file that holds one item, an array of 1 to 10 000, or
 * `{ "<key>": [...] }` (`key` "orders", `one` "an order"); the caller checks
 * each item against its own schema.
 */
export function readJsonList(text: string, { key, one }: { key: string; one: string }): JsonList {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      problems: [
        {
          path: "",
          message: `not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
        },
      ],
    };
  }
  const wrapped = typeof data === "object" && data !== null && !Array.isArray(data) && key in data;
  const list: unknown = Array.isArray(data)
    ? data
    : wrapped
      ? (data as Record<string, unknown>)[key]
      : [data];
  if (!Array.isArray(list) || list.length === 0 || list.length > 10_000) {
    return {
      ok: false,
      problems: [
        {
          path: "",
          message: `expected ${one}, an array of 1 to 10000 ${key} or { "${key}": [...] }`,
        },
      ],
    };
  }
  const at = (index: number) =>
    Array.isArray(data) ? `[${index}]` : wrapped ? `${key}[${index}]` : "";
  return { ok: true, items: list, at };
}
