import { execFile } from "node:child_process";
import { access } from "node:fs/promises";
import { type Clock, type Logger, silentLogger, systemClock } from "@comptoir/contracts";

/**
 * Whether the OS says the system clock has been set by NTP since boot.
 * "unknown" when it does not say (no systemd-timesyncd, no timedated: a
 * container, a development machine, another init).
 */
export type ClockSyncState = "synced" | "unsynced" | "unknown";
export type ClockSyncProbe = () => Promise<ClockSyncState>;

/** systemd-timesyncd creates it at its first successful sync after boot (in tmpfs: gone at reboot). */
export const TIMESYNC_FLAG_FILE = "/run/systemd/timesync/synchronized";

/** Present only when systemd is PID 1 (sd_booted()): without it, timedatectl cannot answer. */
export const SYSTEMD_RUNTIME_DIR = "/run/systemd/system";

/**
 * The OS's answer, cheapest first and without root:
 * 1. the flag file systemd-timesyncd (Raspberry Pi OS's default) creates
 *    at its first sync after boot: present means synchronised;
 * 2. `timedatectl show -p NTPSynchronized --value`: the kernel's own flag
 *    (adjtimex, STA_UNSYNC clear), set by whichever daemon disciplines the
 *    clock (timesyncd, chrony, ntpd); "no" before the first sync.
 * Neither available (no timedatectl, no D-Bus): "unknown". Not booted with
 * systemd (a container, another init): "unknown" without spawning
 * timedatectl, which would only say so, every `recheckMs`, from the
 * counter's thread (a fork of the whole process each time).
 */
export function osClockSync(
  options: {
    flagFile?: string;
    systemdDir?: string;
    timedatectl?: () => Promise<string | undefined>;
  } = {},
): ClockSyncProbe {
  const flagFile = options.flagFile ?? TIMESYNC_FLAG_FILE;
  const systemdDir = options.systemdDir ?? SYSTEMD_RUNTIME_DIR;
  const ask = options.timedatectl ?? askTimedatectl;
  return async () => {
    if (await exists(flagFile)) return "synced";
    if (!(await exists(systemdDir))) return "unknown";
    const answer = (await ask())?.trim();
    if (answer === "yes") return "synced";
    if (answer === "no") return "unsynced";
    return "unknown";
  };
}

function askTimedatectl(): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      "timedatectl",
      ["show", "-p", "NTPSynchronized", "--value"],
      { timeout: 2000 },
      (error, stdout) => resolve(error ? undefined : stdout),
    );
  });
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The last answer of a probe, asked again at most every `recheckMs` (in the
 * background: a decision never waits for it) until the clock is
 * synchronised; from then on it is not asked again, since a clock once set
 * by NTP stays close even if the daemon later loses its servers.
 */
export class ClockSyncWatch {
  private state: ClockSyncState = "unknown";
  private checkedAt = Number.NEGATIVE_INFINITY;
  private probing: Promise<ClockSyncState> | undefined;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly recheckMs: number;

  constructor(
    private readonly probe: ClockSyncProbe,
    options: { recheckMs?: number; clock?: Clock; logger?: Logger } = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.recheckMs = options.recheckMs ?? 15_000;
    this.log = (options.logger ?? silentLogger).child({ module: "pos:clock-sync" });
  }

  /** Asks the probe now (once at a time) and returns its answer. */
  refresh(): Promise<ClockSyncState> {
    this.probing ??= this.probe()
      .catch((): ClockSyncState => "unknown")
      .then((state) => {
        this.checkedAt = this.clock.now().getTime();
        this.changed(state);
        return state;
      })
      .finally(() => {
        this.probing = undefined;
      });
    return this.probing;
  }

  /** The last answer; starts a new ask in the background when it is old and not yet "synced". */
  current(): ClockSyncState {
    const due = this.clock.now().getTime() - this.checkedAt >= this.recheckMs;
    if (this.state !== "synced" && due) void this.refresh();
    return this.state;
  }

  private changed(state: ClockSyncState): void {
    if (state === this.state) return;
    const before = this.state;
    this.state = state;
    if (state === "unsynced") {
      this.log.warn(
        "the system clock is not synchronised yet (no NTP sync since boot): offline, the credit data's age cannot be known and on-account sales are blocked",
      );
    } else if (state === "synced") {
      this.log.info({ before }, "the system clock is synchronised (NTP)");
    } else {
      this.log.info("the OS does not say whether the system clock is synchronised");
    }
  }
}
