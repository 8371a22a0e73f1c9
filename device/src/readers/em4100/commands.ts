import type { ReaderSettings, StartupStep } from "../types.js";

/**
 * EM4100 ASCII readers are output-only: they stream card frames from power-up and
 * accept no commands, so the start-up dialogue is empty and there is nothing to stop.
 */
export function startup(_settings: ReaderSettings): StartupStep[] {
  return [];
}
