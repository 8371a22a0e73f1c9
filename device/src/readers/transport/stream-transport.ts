import { EventEmitter } from "node:events";
import type { Duplex } from "node:stream";
import type { Transport, TransportClosed, TransportEvents } from "./types.js";

/**
 * Wraps a duplex byte stream (a serial port stream or a TCP socket) as a
 * Transport. `close` is emitted once: `disconnected` unless we closed it.
 */
export class StreamTransport extends EventEmitter<TransportEvents> implements Transport {
  #closed = false;
  #closing = false;

  constructor(
    readonly url: string,
    private readonly stream: Duplex,
    private readonly shut: (stream: Duplex) => Promise<void>,
    /** Reads the cause of a close event from the stream's own close arguments. */
    closeCause: (...args: unknown[]) => string | undefined,
  ) {
    super();
    stream.on("data", (chunk: Buffer) => this.emit("data", chunk));
    stream.on("error", (error: Error) => {
      this.#lastError = error.message;
    });
    stream.on("end", () => {
      // The other end finished the byte stream: a serial read of zero bytes (a tty
      // hung up under the open port), a TCP peer's FIN. The device went away, but a
      // serial port emits no close for it by itself: close it, as a disconnect.
      if (this.#closing || this.#closed) return;
      this.#lastError ??= "the device ended the stream";
      this.shut(this.stream)
        .catch(() => {})
        .finally(() => this.#finish({ disconnected: true, reason: this.#lastError }));
    });
    stream.on("close", (...args: unknown[]) => {
      this.#finish({
        disconnected: !this.#closing,
        reason: closeCause(...args) ?? this.#lastError,
      });
    });
  }

  #lastError: string | undefined;

  get isOpen(): boolean {
    return !this.#closed && !this.#closing;
  }

  write(bytes: Uint8Array): Promise<void> {
    if (!this.isOpen) return Promise.reject(new Error(`${this.url} is closed`));
    return new Promise((resolve, reject) => {
      this.stream.write(bytes, (error) => (error ? reject(error) : resolve()));
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    if (this.#closing) {
      await new Promise<void>((resolve) => this.once("close", () => resolve()));
      return;
    }
    this.#closing = true;
    const closed = new Promise<void>((resolve) => this.once("close", () => resolve()));
    try {
      await this.shut(this.stream);
    } catch {
      // Already gone: the close event still arrives, or we finish it here.
      this.#finish({ disconnected: false });
    }
    await closed;
  }

  #finish(closed: TransportClosed): void {
    if (this.#closed) return;
    this.#closed = true;
    this.stream.removeAllListeners("data");
    this.emit("close", closed);
  }
}
