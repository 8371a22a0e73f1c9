import type { MovementEngine } from "./engine.js";

/**
 * Calls `engine.tick()` every `everyMs` (the engine's own logic has no
 * timers). Leaves are announced within one interval of falling due.
 * Returns the stop function.
 */
export function startTicker(engine: Pick<MovementEngine, "tick">, everyMs = 100): () => void {
  const timer = setInterval(() => engine.tick(), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
