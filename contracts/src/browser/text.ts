/**
 * What every page writes the same way. Browser code: it may import only
 * other browser files.
 */

/** The message of anything thrown (an API error's message is the server's own). */
export const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/** A zone, or "off site" for an item in none. */
export const place = (zone: string | null | undefined): string =>
  zone === null || zone === undefined ? "off site" : zone;
