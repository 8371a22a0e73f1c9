/**
 * Checks for what comes over the network: a page trusts nothing it did not
 * check. Browser code: it may import only other browser files.
 */

export type Obj = Record<string, unknown>;

/** A JSON object (not null, not an array). */
export const isObj = (v: unknown): v is Obj =>
  typeof v === "object" && v !== null && !Array.isArray(v);
export const isStr = (v: unknown): v is string => typeof v === "string";
export const isInt = (v: unknown): v is number => Number.isSafeInteger(v);
export const isStrOrNull = (v: unknown): v is string | null => v === null || typeof v === "string";
