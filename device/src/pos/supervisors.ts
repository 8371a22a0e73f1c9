import type { Clock, Logger } from "@comptoir/contracts";
import { PinAttempts } from "./attempts.js";
import { PosRefusal } from "./errors.js";
import { verifyPin } from "./pins.js";

export interface Supervisor {
  id: string;
  name: string;
  pinHash: string;
}

/**
 * Who may complete a blocked sale: a supervisor of the node's config with
 * their PIN. Wrong PINs (and unknown ids) are logged and counted; past the
 * limit a supervisor id is refused (429) for the rest of the minute, right
 * PIN or not. The PIN itself is never logged.
 */
export class SupervisorGate {
  private readonly attempts: PinAttempts;

  constructor(
    private readonly supervisors: readonly Supervisor[],
    attemptsPerMinute: number,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    this.attempts = new PinAttempts(attemptsPerMinute, 60_000);
  }

  list(): { id: string; name: string }[] {
    return this.supervisors.map(({ id, name }) => ({ id, name }));
  }

  /** The supervisor, when `pin` is theirs; throws PosRefusal 429 or 403 otherwise. */
  async verify(id: string, pin: string, clerk: string): Promise<Supervisor> {
    const now = this.clock.now().getTime();
    const wait = this.attempts.blockedFor(id, now);
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      this.log.warn({ supervisor: id, clerk }, "override refused: too many wrong PINs");
      throw new PosRefusal(
        429,
        "too_many_attempts",
        `too many wrong PINs for supervisor ${id}: try again in ${seconds} s`,
        "pin",
        undefined,
        seconds,
      );
    }
    const supervisor = this.supervisors.find((s) => s.id === id);
    const right = supervisor ? await verifyPin(pin, supervisor.pinHash) : false;
    if (!supervisor || !right) {
      const failures = this.attempts.fail(id, now);
      this.log.warn(
        { supervisor: id, clerk, failures, known: Boolean(supervisor) },
        "override refused: wrong supervisor PIN",
      );
      throw new PosRefusal(403, "wrong_pin", "wrong supervisor or PIN — nothing was sold", "pin");
    }
    this.attempts.succeed(id);
    return supervisor;
  }
}
