/**
 * How often to ping systemd's watchdog, as sd_watchdog_enabled(3) reads the
 * environment: WATCHDOG_USEC set (from WatchdogSec=), and WATCHDOG_PID unset
 * or this process. Half the timeout, as systemd.service(5) advises, so one
 * late timer is not yet a restart. Undefined: no watchdog asked for.
 */
export function watchdogIntervalMs(env: NodeJS.ProcessEnv, pid: number): number | undefined {
  const usec = Number(env.WATCHDOG_USEC);
  if (!env.WATCHDOG_USEC || !Number.isSafeInteger(usec) || usec <= 0) return undefined;
  // Set by systemd for the main process; a child that inherited it must not ping for it.
  if (env.WATCHDOG_PID && Number(env.WATCHDOG_PID) !== pid) return undefined;
  return Math.max(1, Math.floor(usec / 2000));
}

export interface Watchdog {
  stop(): void;
}

/**
 * Pings from a timer of the event loop: a loop blocked by synchronous work,
 * or spinning, runs no timer, the pings stop, and systemd restarts the
 * process after WatchdogSec. A ping still in flight (systemd busy) is not
 * doubled. The timer does not keep the process alive.
 */
export function startWatchdog(options: {
  intervalMs: number;
  ping: () => Promise<void>;
}): Watchdog {
  let inFlight = false;
  const beat = () => {
    if (inFlight) return;
    inFlight = true;
    void options.ping().finally(() => {
      inFlight = false;
    });
  };
  const timer = setInterval(beat, options.intervalMs);
  timer.unref();
  beat();
  return { stop: () => clearInterval(timer) };
}
