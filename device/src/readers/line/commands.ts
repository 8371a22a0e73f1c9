import type { ReaderSettings, StartupStep } from "../types.js";

/**
 * CDC text readers print lines as soon as they are configured (on the reader itself,
 * through its own tool or web page): the host sends nothing.
 */
export function startup(_settings: ReaderSettings): StartupStep[] {
  return [];
}
