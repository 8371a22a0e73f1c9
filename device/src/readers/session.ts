import { EventEmitter } from "node:events";
import { type Logger, silentLogger } from "@comptoir/contracts";
import { type Read, toRead } from "./identity.js";
import { Backoff, DEFAULT_BACKOFF, sleep } from "./session-backoff.js";
import { DropOldestQueue } from "./session-queue.js";
import { runStartup, StartupError, type StepWaiter, sendStop } from "./session-startup.js";
import { describeMessage, hex, noFrameDetail } from "./session-text.js";
import type {
  ReaderSessionEvents,
  ReaderSessionOptions,
  ReaderState,
  ReaderStateChange,
} from "./session-types.js";
import { openTransport, type Transport } from "./transport/index.js";
import type { ProtocolDecoder, ReaderMessage, ReaderSettings, SkipReason } from "./types.js";

export type {
  ReaderSessionEvents,
  ReaderSessionOptions,
  ReaderState,
  ReaderStateChange,
} from "./session-types.js";

/**
 * Drives one reader: opens its transport, runs the start-up dialogue, keeps
 * it reading (continuation, restart after reader errors), reopens it with
 * capped exponential backoff when it disappears, and reports its state.
 * It never throws into the process: every failure becomes a `degraded` state.
 */
export class ReaderSession extends EventEmitter<ReaderSessionEvents> {
  readonly id: string;
  readonly log: Logger;
  #state: ReaderState = "stopped";
  #detail: string | undefined;
  #stop = new AbortController();
  #running: Promise<void> | undefined;
  #transport: Transport | undefined;
  #decoder: ProtocolDecoder | undefined;
  #waiter: StepWaiter | undefined;
  #restart: ((reason: string) => void) | undefined;
  #dialogueDone = false;
  #lastMessageAt = 0;
  #bytesSinceOpen = 0;
  #framesSinceOpen = 0;
  readonly #settings: ReaderSettings;
  readonly #backoff: Backoff;
  readonly #now: () => number;
  /** Readers that stop by themselves unless told to go on (R2000): silence means a lost round. */
  readonly #needsContinuation: boolean;
  /** Totals since the session started, for health pages and tests. */
  readonly stats = { bytes: 0, tags: 0, opens: 0, restarts: 0, disconnects: 0 };

  constructor(private readonly options: ReaderSessionOptions) {
    super();
    this.id = options.id;
    this.log = (options.logger ?? silentLogger).child({ module: `reader:${options.id}` });
    this.#settings = options.settings ?? { antennas: [1] };
    this.#backoff = new Backoff({ ...DEFAULT_BACKOFF, ...options.backoff });
    this.#now = options.now ?? Date.now;
    this.#needsContinuation = options.protocol.continueAfter !== undefined && hasDialogue(options);
  }

  get state(): ReaderState {
    return this.#state;
  }

  get detail(): string | undefined {
    return this.#detail;
  }

  /** Skipped bytes by reason on the current connection. */
  get skipped(): Readonly<Record<SkipReason, number>> | undefined {
    return this.#decoder?.skipped;
  }

  /** Starts the session in the background; states and reads arrive as events. */
  start(): this {
    if (this.#running) return this;
    this.#stop = new AbortController();
    this.#running = this.#loop().catch((error: unknown) => {
      // The loop catches everything it expects; this is a bug, not a reader problem.
      this.log.error({ err: error }, "reader session failed");
      this.#setState("degraded", `internal error: ${(error as Error).message}`);
    });
    return this;
  }

  /**
   * Reads through a bounded queue: the read loop never waits for the consumer;
   * when the consumer falls `capacity` behind, the oldest reads are dropped and counted.
   */
  reads(capacity = 100_000): DropOldestQueue<Read> {
    const queue = new DropOldestQueue<Read>(capacity);
    const listener = (read: Read) => queue.push(read);
    this.on("read", listener);
    const close = queue.close.bind(queue);
    queue.close = () => {
      this.off("read", listener);
      close();
    };
    return queue;
  }

  /** Resolves at the first `reading` state; rejects at the first `degraded` one. */
  whenReading(): Promise<void> {
    if (this.#state === "reading") return Promise.resolve();
    return new Promise((resolve, reject) => {
      const listener = (change: ReaderStateChange) => {
        if (change.state === "reading") resolve();
        else if (change.state === "degraded")
          reject(change.error ?? new Error(change.detail ?? "degraded"));
        else if (change.state === "stopped") reject(new Error("stopped before reading"));
        else return;
        this.off("state", listener);
      };
      this.on("state", listener);
    });
  }

  /** Stops reading (sends the protocol's stop command), closes the port, ends in `stopped`. */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#stop.abort();
    this.#restart?.("stopping");
    await this.#running;
    this.#running = undefined;
  }

  async #loop(): Promise<void> {
    const signal = this.#stop.signal;
    while (!signal.aborted) {
      // A reader being reopened stays `degraded` (with why) until it reads again.
      if (this.#state !== "degraded") this.#setState("starting");
      let transport: Transport;
      try {
        transport = await this.#open();
      } catch (error) {
        await this.#degradeAndWait(error as Error, (error as Error).message);
        continue;
      }
      if (signal.aborted) {
        await transport.close().catch(() => undefined);
        break;
      }
      const reason = await this.#connected(transport);
      if (signal.aborted) break;
      await this.#degradeAndWait(reason.error, reason.detail);
    }
    this.#setState("stopped");
  }

  async #degradeAndWait(error: Error | undefined, detail: string): Promise<void> {
    const delay = this.#backoff.next();
    this.#setState("degraded", detail, error);
    this.log.info({ delayMs: delay, attempt: this.#backoff.attempts }, "reopening after a delay");
    await sleep(delay, this.#stop.signal);
  }

  #open(): Promise<Transport> {
    this.stats.opens++;
    if (this.options.open) return this.options.open(this.options.url);
    return openTransport(this.options.url, {
      defaultBaud: this.options.protocol.defaultBaud,
      ...(this.options.binding ? { binding: this.options.binding } : {}),
    });
  }

  /** Runs one open connection until it closes or fails; returns why it ended. */
  async #connected(transport: Transport): Promise<{ detail: string; error?: Error }> {
    const signal = this.#stop.signal;
    this.#transport = transport;
    this.#decoder = this.options.protocol.createDecoder();
    this.#bytesSinceOpen = 0;
    this.#framesSinceOpen = 0;
    this.log.info({ url: transport.url }, "opened");
    let closedWhy: string | undefined;
    const closed = new Promise<string>((resolve) => {
      transport.once("close", (info) => {
        closedWhy = info.disconnected
          ? `${transport.url} disconnected${info.reason ? ` (${info.reason})` : ""} — reopening`
          : `${transport.url} closed`;
        if (info.disconnected) this.stats.disconnects++;
        this.#waiter?.fail(new StartupError(closedWhy, "closed"));
        this.#restart?.(closedWhy);
        resolve(closedWhy);
      });
    });
    transport.on("data", (chunk) => this.#onData(chunk));
    let failure: { detail: string; error: Error } | undefined;
    const watchdog = setInterval(() => this.#watch(), this.#watchPeriod());
    watchdog.unref();
    try {
      while (!signal.aborted && closedWhy === undefined) {
        const restart = new Promise<string>((resolve) => {
          this.#restart = resolve;
        });
        try {
          this.#dialogueDone = false;
          await runStartup(
            transport,
            this.options.protocol.startup(this.#settings),
            (waiter) => {
              this.#waiter = waiter;
            },
            this.log,
            () => ({
              bytes: this.#bytesSinceOpen,
              frames: this.#framesSinceOpen,
              skipped: this.#decoder?.skipped,
            }),
          );
        } catch (error) {
          if (signal.aborted || closedWhy !== undefined) break;
          const detail =
            error instanceof StartupError
              ? error.message
              : `start-up failed: ${(error as Error).message}`;
          failure = { detail, error: error as Error };
          break;
        } finally {
          this.#waiter = undefined;
        }
        this.#dialogueDone = true;
        this.#lastMessageAt = this.#now();
        this.#backoff.reset();
        this.#setState("reading");
        const why = await restart;
        if (signal.aborted || closedWhy !== undefined) break;
        this.stats.restarts++;
        this.#setState("degraded", why);
        await sleep(this.#backoff.next(), signal);
      }
    } finally {
      clearInterval(watchdog);
      this.#restart = undefined;
    }
    if (signal.aborted) {
      await this.#sendStop(transport);
      await transport.close().catch(() => undefined);
      this.#transport = undefined;
      return { detail: "stopped" };
    }
    this.#transport = undefined;
    await transport.close().catch(() => undefined);
    return failure ?? { detail: closedWhy ?? (await closed) };
  }

  async #sendStop(transport: Transport): Promise<void> {
    const bytes = this.options.protocol.stop?.();
    if (!bytes || !transport.isOpen) return;
    const subscribe = (listener: (message: ReaderMessage) => void) => {
      this.on("message", listener);
      return () => this.off("message", listener);
    };
    await sendStop(transport, bytes, subscribe, this.options.stopTimeoutMs ?? 1000, this.log);
  }

  #onData(chunk: Buffer): void {
    const decoder = this.#decoder;
    if (!decoder) return;
    const hostTime = this.#now();
    this.stats.bytes += chunk.length;
    this.#bytesSinceOpen += chunk.length;
    if (this.log.isLevelEnabled("trace")) this.log.trace({ rx: chunk.toString("hex") }, "bytes");
    let messages: ReaderMessage[];
    try {
      messages = decoder.push(chunk);
    } catch (error) {
      this.log.error({ err: error }, "decoder failed; resetting it");
      this.#decoder = this.options.protocol.createDecoder();
      return;
    }
    for (const message of messages) this.#onMessage(message, hostTime);
  }

  #onMessage(message: ReaderMessage, hostTime: number): void {
    this.#framesSinceOpen++;
    this.#lastMessageAt = hostTime;
    if (
      this.#state === "degraded" &&
      this.#dialogueDone &&
      this.#detail?.includes("no valid frame")
    ) {
      this.#setState("reading");
    }
    if (message.kind === "tag") {
      this.stats.tags++;
      this.emit("read", toRead(message.tag, this.id, new Date(hostTime)));
    } else if (this.log.isLevelEnabled("trace")) {
      this.log.trace({ message: describeMessage(message) }, "message");
    }
    this.emit("message", message);
    const waiter = this.#waiter;
    if (waiter) {
      waiter.offer(message);
      // The answer to the final step may itself need continuation (an R2000 round end).
      if (!waiter.isLast) return;
    }
    const more = this.options.protocol.continueAfter?.(message, this.#settings);
    if (more) {
      this.#write(more, "continue");
      return;
    }
    if (message.kind === "error" && this.#dialogueDone) {
      this.log.warn({ command: message.command, status: message.status }, message.message);
      this.#restart?.(`reader error: ${message.message} — restarting reading`);
    }
  }

  #write(bytes: Uint8Array, what: string): void {
    const transport = this.#transport;
    if (!transport?.isOpen) return;
    this.log.trace({ tx: hex(bytes) }, what);
    transport.write(bytes).catch((error: Error) => {
      this.log.debug({ err: error }, `could not write ${what}`);
    });
  }

  #watchPeriod(): number {
    return Math.max(50, Math.min(1000, this.#stallMs() / 4, this.#noFrameMs() / 4));
  }

  #stallMs(): number {
    return this.options.stallRestartMs ?? 5000;
  }

  #noFrameMs(): number {
    return this.options.noFrameTimeoutMs ?? 5000;
  }

  /** Periodic checks on an open connection: bytes but no frames; a reading loop that stalled. */
  #watch(): void {
    const now = this.#now();
    if (
      this.#framesSinceOpen === 0 &&
      this.#bytesSinceOpen > 0 &&
      this.#dialogueDone &&
      this.#state === "reading" &&
      now - this.#lastMessageAt >= this.#noFrameMs()
    ) {
      this.#setState(
        "degraded",
        noFrameDetail(
          this.options.url,
          `${this.#noFrameMs() / 1000} s`,
          this.#bytesSinceOpen,
          this.#decoder?.skipped,
        ),
      );
    }
    if (
      this.#needsContinuation &&
      this.#state === "reading" &&
      now - this.#lastMessageAt >= this.#stallMs()
    ) {
      this.#lastMessageAt = now;
      this.#restart?.(
        `no frame from the reader for ${this.#stallMs()} ms while reading — restarting reading`,
      );
    }
  }

  #setState(state: ReaderState, detail?: string, error?: Error): void {
    if (state === this.#state && detail === this.#detail) return;
    this.#state = state;
    this.#detail = detail;
    const change: ReaderStateChange = {
      id: this.id,
      state,
      ...(detail ? { detail } : {}),
      ...(error ? { error } : {}),
    };
    this.log.info(detail ? { state, detail } : { state }, `reader ${state}`);
    this.emit("state", change);
  }
}

function hasDialogue(options: ReaderSessionOptions): boolean {
  try {
    return options.protocol.startup(options.settings ?? { antennas: [1] }).length > 0;
  } catch {
    return false;
  }
}
