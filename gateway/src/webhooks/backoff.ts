/**
 * Exponential backoff with full jitter (a random wait between 0 and the
 * capped exponential): after an outage, retries from many events and
 * gateways spread out instead of hitting the receiver in waves.
 */
export function retryDelayMs(
  failedAttempts: number,
  settings: { backoffBaseMs: number; backoffMaxMs: number },
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(failedAttempts - 1, 0), 30);
  const ceiling = Math.min(settings.backoffMaxMs, settings.backoffBaseMs * 2 ** exponent);
  return Math.floor(random() * ceiling);
}
