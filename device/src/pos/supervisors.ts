import type { Clock, Logger } from "@comptoir/contracts";
import type { PinAttempts } from "./attempts.js";
import { PosRefusal } from "./errors.js";
import { verifyPin } from "./pins.js";

/** A person of the node's config who proves who they are with a PIN: supervisor or clerk. */
export interface Supervisor {
  id: string;
  name: string;
  pinHash: string;
}

/**
 * Who may act with their PIN: the supervisors (override a blocked sale) or
 * the clerks (sign in at the till) of the node's config. Wrong PINs are
 * logged and counted in the node's one PinAttempts: per known id, and every
 * unknown id under one shared key (ids are public, probing them must cost
 * as much as guessing, and cannot grow the table). Checks run one at a time,
 * so a burst of guesses cannot all pass the limit before the first failure
 * is counted. The PIN itself is never logged.
 */
export class SupervisorGate {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly people: readonly Supervisor[],
    private readonly attempts: PinAttempts,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly kind: "supervisor" | "clerk" = "supervisor",
  ) {}

  list(): { id: string; name: string }[] {
    return this.people.map(({ id, name }) => ({ id, name }));
  }

  name(id: string): string | undefined {
    return this.people.find((p) => p.id === id)?.name;
  }

  /** The person, when `pin` is theirs; throws PosRefusal 429 or 403 otherwise. */
  verify(id: string, pin: string, context: Record<string, unknown> = {}): Promise<Supervisor> {
    const run = this.queue.then(() => this.check(id, pin, context));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async check(id: string, pin: string, context: Record<string, unknown>) {
    const now = this.clock.now().getTime();
    const person = this.people.find((s) => s.id === id);
    const key = `${this.kind}:${person ? id : "?"}`;
    const blocked = this.attempts.blockedFor(key, now);
    if (blocked) {
      const seconds = Math.ceil(blocked.ms / 1000);
      this.log.warn(
        { [this.kind]: id, ...context, scope: blocked.scope },
        "PIN refused: locked out",
      );
      throw new PosRefusal(
        429,
        "too_many_attempts",
        blocked.scope === "node"
          ? `too many wrong PINs on this node: every PIN check waits ${seconds} s`
          : `too many wrong PINs for ${this.kind} ${id}: try again in ${seconds} s`,
        "pin",
        undefined,
        seconds,
      );
    }
    const right = person ? await verifyPin(pin, person.pinHash) : false;
    if (!person || !right) {
      const failures = this.attempts.fail(key, now);
      this.log.warn(
        { [this.kind]: id, ...context, failures, known: Boolean(person) },
        `wrong ${this.kind} PIN`,
      );
      throw new PosRefusal(
        403,
        "wrong_pin",
        this.kind === "supervisor"
          ? "wrong supervisor or PIN — nothing was sold"
          : "wrong clerk or PIN — not signed in",
        "pin",
      );
    }
    this.attempts.succeed(key);
    return person;
  }
}
