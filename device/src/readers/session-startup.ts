import type { Logger } from "@comptoir/contracts";
import { hex, noFrameDetail } from "./session-text.js";
import type { Transport } from "./transport/index.js";
import type { ReaderMessage, SkipReason, StartupStep } from "./types.js";

export type StartupFailure = "timeout" | "refused" | "closed" | "no frame";

/** A start-up step that failed: refused by the reader, unanswered, or the port went away. */
export class StartupError extends Error {
  override name = "StartupError";
  constructor(
    message: string,
    readonly failure: StartupFailure,
  ) {
    super(message);
  }
}

/** Waits for the answer to one step; the session offers it every decoded message. */
export class StepWaiter {
  readonly done: Promise<void>;
  #resolve!: () => void;
  #reject!: (error: Error) => void;
  #settled = false;

  constructor(
    readonly step: StartupStep,
    readonly isLast: boolean,
  ) {
    this.done = new Promise<void>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // A failure may come before anyone awaits `done`.
    this.done.catch(() => undefined);
  }

  offer(message: ReaderMessage): void {
    if (this.#settled) return;
    const answer = this.step.answer(message);
    if (answer === "done") {
      this.#settled = true;
      this.#resolve();
    } else if (answer !== undefined) {
      this.fail(
        new StartupError(`the reader refused "${this.step.name}": ${answer.failed}`, "refused"),
      );
    }
  }

  fail(error: Error): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#reject(error);
  }
}

export interface LinkProgress {
  bytes: number;
  frames: number;
  skipped: Readonly<Record<SkipReason, number>> | undefined;
}

/** Sends each step, waits for its answer within its timeout; throws StartupError on the first failure. */
export async function runStartup(
  transport: Transport,
  steps: StartupStep[],
  setWaiter: (waiter: StepWaiter | undefined) => void,
  log: Logger,
  progress: () => LinkProgress,
): Promise<void> {
  for (const [index, step] of steps.entries()) {
    const waiter = new StepWaiter(step, index === steps.length - 1);
    setWaiter(waiter);
    log.debug({ step: step.name }, "start-up step");
    log.trace({ tx: Buffer.from(step.bytes).toString("hex") }, step.name);
    const timer = setTimeout(
      () => waiter.fail(timeoutError(transport.url, step, progress())),
      step.timeoutMs,
    );
    try {
      await transport.write(step.bytes);
      await waiter.done;
    } catch (error) {
      if (error instanceof StartupError) throw error;
      throw new StartupError(
        `cannot write "${step.name}" to ${transport.url}: ${(error as Error).message}`,
        "closed",
      );
    } finally {
      clearTimeout(timer);
      setWaiter(undefined);
    }
  }
}

function timeoutError(url: string, step: StartupStep, link: LinkProgress): StartupError {
  const within = `within ${step.timeoutMs} ms`;
  if (link.frames > 0) {
    return new StartupError(
      `no answer to "${step.name}" from ${url} ${within} — the reader answers other commands; check its model and firmware`,
      "timeout",
    );
  }
  if (link.bytes === 0) {
    return new StartupError(
      `no answer to "${step.name}" from ${url} ${within}: nothing received — is the reader powered and on this port, and is this its protocol?`,
      "timeout",
    );
  }
  return new StartupError(
    noFrameDetail(url, `${step.timeoutMs} ms`, link.bytes, link.skipped),
    "no frame",
  );
}

/** Sends the stop command and waits for the reader's reply to it, or `timeoutMs`. */
export async function sendStop(
  transport: Transport,
  bytes: Uint8Array,
  subscribe: (listener: (message: ReaderMessage) => void) => () => void,
  timeoutMs: number,
  log: Logger,
): Promise<void> {
  let unsubscribe: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const acknowledged = new Promise<void>((resolve) => {
    unsubscribe = subscribe((message) => message.kind === "reply" && resolve());
    timer = setTimeout(resolve, timeoutMs);
  });
  try {
    log.trace({ tx: hex(bytes) }, "stop reading");
    await transport.write(bytes);
    await acknowledged;
  } catch (error) {
    log.debug({ err: error }, "could not send the stop command");
  } finally {
    clearTimeout(timer);
    unsubscribe?.();
  }
}
