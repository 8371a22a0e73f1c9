import { hash } from "node:crypto";

/** Lower-case hex SHA-256 of the UTF-8 bytes of `text`. */
export function sha256Hex(text: string): string {
  return hash("sha256", text, "hex");
}

/** The `prev` of a chain's first entry: the hash of nothing yet. */
export const GENESIS_PREV = "0".repeat(64);
